# Beluga Voice worker image: `beluga serve` on port 8080, non-root, production dependencies only.
#   docker build -t beluga-voice:0.1.0 .
#   docker build -t acme/voice-agent --build-arg PIPELINE=agents/phone.yaml \
#     --build-arg NODE_PACKAGES="@acme/beluga-crm-tools@2.1.0 ./vendor/acme-nodes-1.0.0.tgz" .
# (README, "Deploying", has the details.)

FROM node:20-slim AS build
RUN npm install -g pnpm@10 --no-audit --no-fund
WORKDIR /src
COPY . .
# Install scripts stay off (pnpm-workspace.yaml); packages are packed as npm would publish them.
RUN pnpm install --frozen-lockfile \
 && pnpm build \
 && deploy/docker/pack.sh /packs

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
ARG NODE_PACKAGES=""
COPY --from=build /packs /packs
COPY deploy/docker/install-app.sh /usr/local/bin/install-beluga-app
# Extra node packages: npm specs, or .tgz files placed under deploy/docker/packages/ in the build context.
COPY deploy/docker/packages/ /packs/extra/
RUN install-beluga-app /app /packs ${NODE_PACKAGES} && rm -rf /packs /root/.npm
ARG PIPELINE=deploy/k8s/base/pipeline.yaml
COPY ${PIPELINE} /app/pipeline.yaml
USER node
EXPOSE 8080
ENTRYPOINT ["/app/node_modules/.bin/beluga"]
CMD ["serve", "/app/pipeline.yaml", "--host", "0.0.0.0", "--port", "8080"]
