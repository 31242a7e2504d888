import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const k8s = fileURLToPath(new URL('../k8s/', import.meta.url));

// Every kind the manifests use, validated against the Kubernetes OpenAPI schemas that
// kubernetes-models ships (types, required fields, enums): no cluster needed.
const models: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Service': Service,
};

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: any;
  data?: any;
};

const validate = (doc: Manifest, where: string) => {
  const Model = models[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) throw new Error(`${where}: no schema for ${doc.apiVersion} ${doc.kind}`);
  try {
    new Model(doc as never).validate();
  } catch (error) {
    throw new Error(`${where}: ${doc.kind} ${doc.metadata?.name}: ${(error as Error).message}`);
  }
};

const docsOf = (text: string): Manifest[] => parseAllDocuments(text).map((d) => d.toJS() as Manifest);

const kustomize = (dir: string): Manifest[] | undefined => {
  try {
    return docsOf(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`kubectl kustomize ${dir} failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
};
const hasKubectl = kustomize(join(k8s, 'base')) !== undefined;
if (!hasKubectl) console.warn('skipping the kustomize build checks: kubectl is not installed (it ships kustomize)');

const container = (deployment: Manifest) => deployment.spec.template.spec.containers[0];
const argValue = (args: string[], flag: string) => Number(args[args.indexOf(flag) + 1]);
const byKind = (docs: Manifest[], kind: string) => docs.find((d) => d.kind === kind) as Manifest;

describe('Kubernetes manifests', () => {
  it('each base and overlay file is a valid object of its kind', () => {
    const files = ['base', 'overlays/example'].flatMap((dir) =>
      readdirSync(join(k8s, dir))
        .filter(
          (f) =>
            f.endsWith('.yaml') && f !== 'kustomization.yaml' && f !== 'pipeline.yaml' && !f.endsWith('-patch.yaml'),
        )
        .map((f) => join(dir, f)),
    );
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) for (const doc of docsOf(readFileSync(join(k8s, file), 'utf8'))) validate(doc, file);
  });

  it('the validator rejects a wrong type and a missing required field (it is not a no-op)', () => {
    const deployment = docsOf(readFileSync(join(k8s, 'base/deployment.yaml'), 'utf8'))[0] as Manifest;
    const badPort = structuredClone(deployment);
    container(badPort).ports[0].containerPort = 'eighty';
    expect(() => validate(badPort, 'bad')).toThrow(/containerPort/);
    const noContainers = structuredClone(deployment);
    delete noContainers.spec.template.spec.containers;
    expect(() => validate(noContainers, 'bad')).toThrow(/containers/);
  });

  it.runIf(hasKubectl)('the base builds with kustomize into valid, consistent resources', () => {
    const docs = kustomize(join(k8s, 'base')) as Manifest[];
    for (const doc of docs) validate(doc, 'kustomize base');
    expect(docs.map((d) => d.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'PodDisruptionBudget', 'Service'].sort(),
    );
    const deployment = byKind(docs, 'Deployment');
    const pod = deployment.spec.template.spec;
    const c = container(deployment);
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    // The kubelet's SIGKILL must not cut a drain short: grace ≥ preStop sleep + --drain-timeout.
    const preStop = Number(c.lifecycle.preStop.exec.command[1]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + argValue(c.args, '--drain-timeout'));
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(c.resources.requests.cpu).toBeDefined();
    // The generated ConfigMap (hashed name) is the one the pod mounts.
    const configMap = byKind(docs, 'ConfigMap');
    expect(pod.volumes.find((v: any) => v.name === 'pipeline').configMap.name).toBe(configMap.metadata.name);
    expect(Object.keys(configMap.data)).toEqual(['pipeline.yaml']);
    // Selectors match the pod labels everywhere.
    const labels = deployment.spec.template.metadata.labels;
    expect(labels['app.kubernetes.io/name']).toBe('beluga-voice');
    expect(deployment.spec.selector.matchLabels).toEqual(labels);
    expect(byKind(docs, 'Service').spec.selector).toEqual(labels);
    expect(byKind(docs, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(labels);
    const hpa = byKind(docs, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef.name).toBe(deployment.metadata.name);
    expect(hpa.spec.metrics.map((m: any) => m.type)).toEqual(['Pods', 'Resource']);
    expect(hpa.spec.metrics[0].pods.metric.name).toBe('beluga_sessions_active');
    const ingress = byKind(docs, 'Ingress');
    const annotations = ingress.metadata.annotations ?? {};
    expect(annotations['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe(byKind(docs, 'Service').metadata.name);
  });

  it.runIf(hasKubectl)("the example overlay's resources and patches resolve onto the base", () => {
    const docs = kustomize(join(k8s, 'overlays/example')) as Manifest[];
    for (const doc of docs) validate(doc, 'kustomize overlays/example');
    for (const doc of docs.filter((d) => d.kind !== 'Namespace')) expect(doc.metadata.namespace).toBe('voice');
    const deployment = byKind(docs, 'Deployment');
    const c = container(deployment);
    expect(c.image).toBe('registry.example.com/acme/voice-agent:1.4.0');
    expect(argValue(c.args, '--max-sessions')).toBe(150);
    expect(argValue(c.args, '--drain-timeout')).toBe(120);
    const preStop = Number(c.lifecycle.preStop.exec.command[1]);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + 120);
    expect(c.resources.requests).toEqual({ cpu: '1500m', memory: '512Mi' });
    // Patched fields keep the base's others (a strategic merge, not a replacement).
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(byKind(docs, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 40 });
    expect(byKind(docs, 'Ingress').spec.rules[0].host).toBe('voice.acme.example');
    const configMap = byKind(docs, 'ConfigMap');
    expect(configMap.data['pipeline.yaml']).toContain('name: phone-agent');
    expect(deployment.spec.template.spec.volumes.find((v: any) => v.name === 'pipeline').configMap.name).toBe(
      configMap.metadata.name,
    );
  });
});
