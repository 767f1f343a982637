// Deployment files of a cluster scaffold: the workers' image, a Kubernetes Deployment, and a compose
// file (Redis plus workers) for local runs. Plain text; the folder's README says how to use them.

/** `Dockerfile`: the worker image (build inside, run `node dist/worker.js`). */
export function dockerfile(): string {
  return `# The cluster workers' image: builds the wasm shard kernels and runs dist/worker.js.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json* ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev
ENV NODE_ENV=production
# HOTLOOP_REDIS_URL comes from the environment (compose, the Kubernetes Deployment).
CMD ["node", "dist/worker.js"]
`;
}

export function dockerignore(): string {
  return 'node_modules\ndist\n';
}

/** `k8s/workers.yaml`: a Deployment of workers (scale with replicas) reading the Redis URL from a Secret. */
export function k8sManifest(kernel: string): string {
  const name = `hotloop-${kernel.toLowerCase()}-workers`;
  return `# Workers of the ${kernel} cluster. Build and push the image (docker build -t <registry>/${name} .),
# create the Redis URL secret (kubectl create secret generic hotloop-redis --from-literal=url=redis://…),
# then kubectl apply -f k8s/workers.yaml and scale with kubectl scale deployment/${name} --replicas=N.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { app: ${name} }
spec:
  replicas: 2
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: worker
          image: ${name}:latest
          env:
            - name: HOTLOOP_REDIS_URL
              valueFrom: { secretKeyRef: { name: hotloop-redis, key: url } }
          resources:
            requests: { cpu: "1", memory: 512Mi }
            limits: { cpu: "1", memory: 1Gi }
`;
}

/** `compose.yaml`: Redis (append-only, so a restart resumes jobs) and two workers on one machine. */
export function composeFile(): string {
  return `# Local cluster: docker compose up --build --scale worker=2; then call the producer with
# HOTLOOP_REDIS_URL=redis://localhost:6379.
services:
  redis:
    image: redis:7
    command: ["redis-server", "--appendonly", "yes", "--maxmemory-policy", "noeviction"]
    ports: ["6379:6379"]
  worker:
    build: .
    environment:
      HOTLOOP_REDIS_URL: redis://redis:6379
    depends_on: [redis]
    deploy:
      replicas: 2
`;
}
