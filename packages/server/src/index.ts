export { type App, type AppEnv, type AppOptions, createApp } from './app.js'
export { problemResponse, toMitraError } from './errors.js'
export { listen, type RunningServer } from './serve.js'
