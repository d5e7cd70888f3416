import { readdirSync, rmSync } from 'node:fs'
import { fileURLToPath, URL } from 'node:url'
import { join } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver, VantResolver } from 'unplugin-vue-components/resolvers'

const outDir = fileURLToPath(new URL('./dist', import.meta.url))

// The committed dist/placeholder.html keeps `go build` working before the UI
// is built, so the build clears everything in dist except that file.
function cleanDistKeepPlaceholder(): Plugin {
  return {
    name: 'clean-dist-keep-placeholder',
    apply: 'build',
    buildStart() {
      for (const name of readdirSync(outDir)) {
        if (name !== 'placeholder.html') rmSync(join(outDir, name), { recursive: true, force: true })
      }
    },
  }
}

export default defineConfig({
  plugins: [
    vue(),
    // Components are imported per file on first use, so the driver bundle
    // holds only Vant and the admin bundle only Element Plus.
    Components({
      dts: 'components.d.ts',
      resolvers: [VantResolver(), ElementPlusResolver({ importStyle: 'css' })],
    }),
    cleanDistKeepPlaceholder(),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir,
    emptyOutDir: false,
    rollupOptions: {
      input: {
        driver: fileURLToPath(new URL('./index.html', import.meta.url)),
        admin: fileURLToPath(new URL('./admin/index.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
})
