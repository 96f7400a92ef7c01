# Guildhall: one image for every role — `serve` (API), `worker`, `migrate`, and the CLI.
# The TypeScript sources run as they are through tsx (a runtime dependency), so there is no build
# step: the image is production dependencies + bin/ + src/.
#
#   docker build -t guildhall .
#   docker run --rm -p 3000:3000 guildhall                      # embedded PGlite under /app/data
#   docker compose up                                            # the production topology (compose.yaml)

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Dev tools (biome, vitest, typescript, drizzle-kit…) stay out; tsx and esbuild are dependencies.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY bin ./bin
COPY src ./src
# The embedded database's directory (used only without DATABASE_URL) belongs to the unprivileged user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# /ready: the database (and Redis, when configured) answer. Workers override this (compose.yaml).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM (docker stop) shuts down gracefully within SHUTDOWN_TIMEOUT_MS; node is PID 1 and handles it.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/guildhall.mjs"]
CMD ["serve"]
