import { startApp } from '@/shared/bootstrap'
import App from './App.vue'
import { adminRoutes, createAdminRouter } from './router'

startApp(App, createAdminRouter(), adminRoutes)
