import { defineConfig, mergeConfig } from 'vitest/config'
import viteConfig from './vite.config.ts'

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'happy-dom',
      include: ['src/**/*.test.ts'],
      // Component libraries import their CSS from ES modules; let Vite handle them.
      server: { deps: { inline: ['element-plus', 'vant'] } },
    },
  }),
)
