import { startApp } from '@/shared/bootstrap'
import App from './App.vue'
import { createDriverRouter, driverRoutes } from './router'

startApp(App, createDriverRouter(), driverRoutes)
