// The one script a gallery pastes (served as /widget/v1.js): configured by its own tag.
import { scriptConfig } from './config.js'
import { defineMitraElements } from './index.js'

defineMitraElements(scriptConfig(document, import.meta.url))
