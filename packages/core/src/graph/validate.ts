import type { z } from 'zod';
import { type AudioFormat, formatToString } from '../audio-format.js';
import { type AudioCaps, capsMismatches, fixateCaps } from '../caps.js';
import type { FrameKind } from '../frames.js';
import { type AnyNodeSpec, resolveInputCaps } from '../node.js';
import type { Registry } from '../registry.js';
import { resolveQueueLimits } from '../runtime/queue-settings.js';
import { errorMessage } from '../secrets.js';
import { didYouMean } from '../suggest.js';
import { planBackpressure } from './backpressure.js';
import { endpointToString } from './endpoint.js';
import { packageForType } from './known-packages.js';
import {
  type GraphIssue,
  type GraphSpec,
  GraphValidationError,
  type IssuePath,
  type LinkDecl,
  type NodeDecl,
} from './model.js';
import type { InsertedConverter, ResolvedGraph, ResolvedLink, ResolvedNode } from './resolved.js';
import { checkTurnDetection } from './turn-detection.js';
import { objectKeysAt } from './zod-paths.js';

export interface ValidateOptions {
  readonly registry: Registry;
  /** Insert registered converters where audio caps do not match (overrides `spec.autoConvert`). */
  readonly autoConvert?: boolean;
  /** Folder that relative paths in node configs resolve against. */
  readonly baseDir?: string;
}

export interface ValidationResult {
  readonly graph?: ResolvedGraph;
  readonly issues: readonly GraphIssue[];
  /** Valid but worth saying (e.g. a `block` link whose producer cannot pause); also on `graph.warnings`. */
  readonly warnings?: readonly GraphIssue[];
}

interface PendingNode {
  readonly decl: NodeDecl;
  readonly spec: AnyNodeSpec;
  readonly config: unknown;
  /** False when the config did not parse: links and ports are still checked, formats are not. */
  readonly configOk: boolean;
  readonly path: IssuePath;
}

interface PendingLink {
  readonly decl: LinkDecl;
  readonly index: number;
  readonly from: { node: string; port: string };
  readonly to: { node: string; port: string };
  readonly kinds: FrameKind[];
  readonly path: IssuePath;
}

const label = (n: PendingNode) => `node "${n.decl.id}" (${n.spec.type})`;

/** Checks a whole graph and reports every problem at once. */
export function validateGraph(spec: GraphSpec, options: ValidateOptions): ValidationResult {
  const issues: GraphIssue[] = [];
  const baseDir = options.baseDir ?? process.cwd();
  const nodes = checkNodes(spec, options.registry, issues);
  const links = checkLinks(spec, nodes, issues);
  checkRequiredInputs(nodes, spec.links, issues);
  checkCycles(nodes, links, issues);
  const order = topologicalOrder([...nodes.keys()], links);
  const caps = resolveFormats(order, nodes, links, {
    registry: options.registry,
    autoConvert: options.autoConvert ?? spec.autoConvert ?? false,
    baseDir,
    issues,
  });
  const declaredIds = new Set(spec.nodes.map((n) => n.id));
  if (issues.length > 0 || declaredIds.size !== nodes.size) return { issues };
  const resolvedSpec: GraphSpec = {
    ...spec,
    nodes: [...spec.nodes, ...caps.inserted.map((c) => c.decl)],
    links: caps.specLinks,
  };
  const runOrder = topologicalOrder(
    [...caps.nodes.keys()],
    caps.links.map((l) => ({ ...l, decl: { feedback: l.feedback } })),
  );
  const plan = planBackpressure(caps.nodes, caps.links, runOrder);
  const nodePath = (id: string) => nodes.get(id)?.path ?? ['nodes', id];
  const warnings = [...plan.warnings, ...checkTurnDetection(caps.nodes, plan.links, options.registry, nodePath)];
  return {
    issues,
    warnings,
    graph: {
      spec: resolvedSpec,
      nodes: caps.nodes,
      links: plan.links,
      inserted: caps.inserted.map((c) => c.info),
      order: runOrder,
      warnings,
    },
  };
}

/** Like `validateGraph`, but throws `GraphValidationError` listing every problem. */
export function buildGraph(spec: GraphSpec, options: ValidateOptions): ResolvedGraph {
  const { graph, issues } = validateGraph(spec, options);
  if (!graph) throw new GraphValidationError(issues);
  return graph;
}

function checkNodes(spec: GraphSpec, registry: Registry, issues: GraphIssue[]): Map<string, PendingNode> {
  const nodes = new Map<string, PendingNode>();
  const seen = new Set<string>();
  for (const decl of spec.nodes) {
    const path = decl.path ?? ['nodes', decl.id];
    if (seen.has(decl.id)) {
      issues.push({ code: 'duplicate-node', message: `node "${decl.id}" is declared twice`, path });
      continue;
    }
    seen.add(decl.id);
    if (decl.id.includes('.') || decl.id.trim() === '') {
      issues.push({
        code: 'invalid-config',
        message: `node id "${decl.id}" is not valid: ids are non-empty and contain no dots (dots separate node and port)`,
        path,
      });
      continue;
    }
    const nodeSpec = registry.get(decl.type);
    if (!nodeSpec) {
      issues.push(unknownType(decl, registry, path));
      continue;
    }
    const parsed = (nodeSpec.config as z.ZodType).safeParse(decl.config ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push(...configIssue(decl, nodeSpec, issue, path));
    }
    nodes.set(decl.id, { decl, spec: nodeSpec, config: parsed.data, configOk: parsed.success, path });
  }
  return nodes;
}

function unknownType(decl: NodeDecl, registry: Registry, path: IssuePath): GraphIssue {
  const near = didYouMean(decl.type, registry.types());
  const pkg = packageForType(decl.type);
  const providedHere = pkg !== undefined && registry.types().some((t) => packageForType(t) === pkg);
  const fix = near ?? (pkg && !providedHere ? `install ${pkg}` : undefined);
  return {
    code: 'unknown-node-type',
    message: `unknown node type "${decl.type}" for node "${decl.id}"`,
    ...(fix ? { fix } : {}),
    path: [...path, 'type'],
  };
}

function configIssue(decl: NodeDecl, spec: AnyNodeSpec, issue: z.core.$ZodIssue, path: IssuePath): GraphIssue[] {
  const where = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const allowed = objectKeysAt(spec.config as z.ZodType, issue.path);
    return issue.keys.map((key) => {
      const fix = didYouMean(key, allowed) ?? (allowed.length > 0 ? `allowed keys: ${allowed.join(', ')}` : undefined);
      return {
        code: 'invalid-config' as const,
        message: `node "${decl.id}" (${spec.type}): unknown config key "${[...where, key].join('.')}"`,
        ...(fix ? { fix } : {}),
        path: [...path, 'config', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), key],
      };
    });
  }
  const key = where.length > 0 ? `config.${where.join('.')}` : 'config';
  return [
    {
      code: 'invalid-config',
      message: `node "${decl.id}" (${spec.type}): ${key}: ${issue.message}`,
      path: [...path, 'config', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    },
  ];
}

function checkLinks(spec: GraphSpec, nodes: Map<string, PendingNode>, issues: GraphIssue[]): PendingLink[] {
  const declared = new Set(spec.nodes.map((n) => n.id));
  const out: PendingLink[] = [];
  const seen = new Set<string>();
  spec.links.forEach((decl, index) => {
    const path = decl.path ?? ['links', index];
    const text = `${endpointToString(decl.from)} -> ${endpointToString(decl.to)}`;
    let ok = true;
    for (const [side, end] of [
      ['from', decl.from],
      ['to', decl.to],
    ] as const) {
      if (!declared.has(end.node)) {
        const fix = didYouMean(end.node, declared);
        issues.push({
          code: 'unknown-node',
          message: `link ${text}: unknown node "${end.node}"`,
          ...(fix ? { fix } : {}),
          path: [...path, side],
        });
        ok = false;
      }
    }
    const from = nodes.get(decl.from.node);
    const to = nodes.get(decl.to.node);
    if (!ok || !from || !to) return;
    const fromPort = resolvePort(from, 'output', decl.from.port, text, [...path, 'from'], issues);
    const toPort = resolvePort(to, 'input', decl.to.port, text, [...path, 'to'], issues);
    if (fromPort === undefined || toPort === undefined) return;
    const emits = from.spec.outputs[fromPort].kinds;
    const takes = to.spec.inputs[toPort].kinds;
    const kinds = emits.filter((k) => takes.includes(k));
    const linkText = `${decl.from.node}.${fromPort} -> ${decl.to.node}.${toPort}`;
    if (kinds.length === 0) {
      issues.push({
        code: 'kind-mismatch',
        message: `could not link ${linkText}: ${decl.from.node}.${fromPort} emits ${emits.join(', ')}, ${decl.to.node}.${toPort} takes ${takes.join(', ')}`,
        path,
      });
      return;
    }
    if (seen.has(linkText)) {
      issues.push({ code: 'duplicate-link', message: `link ${linkText} is declared twice`, path });
      return;
    }
    seen.add(linkText);
    const queue = resolveQueueLimits(decl.queue, kinds.includes('audio'));
    if (typeof queue === 'string') {
      issues.push({ code: 'invalid-queue', message: `link ${linkText}: ${queue}`, path: [...path, 'queue'] });
    }
    out.push({
      decl,
      index,
      from: { node: decl.from.node, port: fromPort },
      to: { node: decl.to.node, port: toPort },
      kinds,
      path,
    });
  });
  return out;
}

function resolvePort(
  node: PendingNode,
  direction: 'input' | 'output',
  port: string | undefined,
  text: string,
  path: IssuePath,
  issues: GraphIssue[],
): string | undefined {
  const ports = Object.keys(direction === 'input' ? node.spec.inputs : node.spec.outputs);
  if (ports.length === 0) {
    issues.push({
      code: 'unknown-port',
      message: `link ${text}: ${label(node)} has no ${direction}s`,
      path,
    });
    return undefined;
  }
  if (port === undefined) return ports[0];
  if (ports.includes(port)) return port;
  const fix = didYouMean(port, ports) ?? `${direction} ports: ${ports.join(', ')}`;
  issues.push({
    code: 'unknown-port',
    message: `link ${text}: ${label(node)} has no ${direction} port "${port}"`,
    fix,
    path,
  });
  return undefined;
}

/** Counts a link as wiring its target even when its other end is wrong: that mistake is reported once, there. */
function checkRequiredInputs(nodes: Map<string, PendingNode>, links: readonly LinkDecl[], issues: GraphIssue[]): void {
  const linked = new Set(
    links.map((l) => `${l.to.node}.${l.to.port ?? Object.keys(nodes.get(l.to.node)?.spec.inputs ?? {})[0]}`),
  );
  for (const node of nodes.values()) {
    for (const [port, spec] of Object.entries(node.spec.inputs)) {
      if (spec.required && !linked.has(`${node.decl.id}.${port}`)) {
        issues.push({
          code: 'unlinked-input',
          message: `${label(node)}: required input "${port}" is not linked`,
          fix: `link a node's output to ${node.decl.id}.${port}`,
          path: node.path,
        });
      }
    }
  }
}

function checkCycles(nodes: Map<string, PendingNode>, links: PendingLink[], issues: GraphIssue[]): void {
  const next = new Map<string, PendingLink[]>();
  for (const l of links) {
    if (l.decl.feedback) continue;
    next.set(l.from.node, [...(next.get(l.from.node) ?? []), l]);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  // Depth-first with an explicit stack: a chain of thousands of nodes must not overflow the call stack.
  const stack: PendingLink[] = [];
  const frames: Array<{ readonly id: string; readonly out: readonly PendingLink[]; next: number }> = [];
  const enter = (id: string) => {
    state.set(id, 'visiting');
    frames.push({ id, out: next.get(id) ?? [], next: 0 });
  };
  for (const root of nodes.keys()) {
    if (state.has(root)) continue;
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.next === frame.out.length) {
        state.set(frame.id, 'done');
        frames.pop();
        stack.pop();
        continue;
      }
      const link = frame.out[frame.next++];
      const target = link.to.node;
      if (state.get(target) === 'visiting') {
        const start = stack.findIndex((l) => l.from.node === target);
        const cycle = [...stack.slice(start < 0 ? stack.length : start), link];
        const route = [...cycle.map((l) => l.from.node), target].join(' -> ');
        issues.push({
          code: 'cycle',
          message: `cycle ${route} without a declared feedback link`,
          fix: `declare the link ${link.from.node}.${link.from.port} -> ${link.to.node}.${link.to.port} as feedback`,
          path: link.path,
        });
      } else if (!state.has(target)) {
        stack.push(link);
        enter(target);
      }
    }
  }
}

interface OrderLink {
  readonly from: { node: string };
  readonly to: { node: string };
  readonly decl: { feedback?: boolean };
}

/** Kahn's order over non-feedback links; nodes left in a cycle are appended in declaration order. */
function topologicalOrder(ids: string[], links: readonly OrderLink[]): string[] {
  const indegree = new Map(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>();
  for (const l of links) {
    if (l.decl.feedback || !indegree.has(l.from.node) || !indegree.has(l.to.node)) continue;
    indegree.set(l.to.node, (indegree.get(l.to.node) ?? 0) + 1);
    next.set(l.from.node, [...(next.get(l.from.node) ?? []), l.to.node]);
  }
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const n of next.get(id) ?? []) {
      const d = (indegree.get(n) ?? 0) - 1;
      indegree.set(n, d);
      if (d === 0) ready.push(n);
    }
  }
  const placed = new Set(order);
  for (const id of ids) if (!placed.has(id)) order.push(id);
  return order;
}

interface FormatOptions {
  readonly registry: Registry;
  readonly autoConvert: boolean;
  readonly baseDir: string;
  readonly issues: GraphIssue[];
}

interface ConverterStep {
  readonly type: string;
  readonly config: unknown;
  readonly output: AudioFormat;
}

/** Finds one converter, or two in a row (e.g. μ-law decode then resample), that turn `from` into `to`. */
function findConverters(registry: Registry, from: AudioFormat, to: AudioFormat): ConverterStep[] | undefined {
  const direct = registry.convertersFor(from, to)[0];
  if (direct) return [{ ...direct, output: to }];
  const middles: AudioFormat[] = [
    { encoding: to.encoding, sampleRate: from.sampleRate, channels: from.channels },
    { encoding: from.encoding, sampleRate: to.sampleRate, channels: to.channels },
    { encoding: 'pcm16', sampleRate: from.sampleRate, channels: from.channels },
    { encoding: 'pcm16', sampleRate: to.sampleRate, channels: to.channels },
  ];
  for (const mid of middles) {
    const first = registry.convertersFor(from, mid)[0];
    const second = first && registry.convertersFor(mid, to)[0];
    if (first && second) {
      return [
        { ...first, output: mid },
        { ...second, output: to },
      ];
    }
  }
  return undefined;
}

function fallbackConverterHint(from: AudioFormat, caps: AudioCaps): string {
  const fields = capsMismatches(from, caps).map((m) => m.field);
  const names: string[] = [];
  if (fields.includes('encoding')) {
    if (from.encoding === 'mulaw' || from.encoding === 'alaw') names.push(`audio.${from.encoding}-decode`);
    else if (caps.encoding?.[0] === 'mulaw' || caps.encoding?.[0] === 'alaw')
      names.push(`audio.${caps.encoding[0]}-encode`);
    else names.push('audio.resample');
  }
  if ((fields.includes('sampleRate') || fields.includes('channels')) && !names.includes('audio.resample')) {
    names.push('audio.resample');
  }
  return `insert ${names.join(' and ')} (from @beluga-voice/nodes-audio)`;
}

function resolveFormats(
  order: string[],
  nodes: Map<string, PendingNode>,
  links: PendingLink[],
  options: FormatOptions,
) {
  const resolved = new Map<string, ResolvedNode>();
  const outLinks: ResolvedLink[] = [];
  const specLinks: LinkDecl[] = [];
  const inserted: Array<{ decl: NodeDecl; info: InsertedConverter }> = [];
  const outputFormats = new Map<string, Record<string, AudioFormat | undefined>>();
  const byTarget = new Map<string, PendingLink[]>();
  for (const l of links) byTarget.set(l.to.node, [...(byTarget.get(l.to.node) ?? []), l]);
  const usedIds = new Set(nodes.keys());

  const computeOutputs = (
    id: string,
    spec: AnyNodeSpec,
    config: unknown,
    inputs: Record<string, AudioFormat | undefined>,
  ) => {
    const outputs: Record<string, AudioFormat | undefined> = {};
    for (const [port, out] of Object.entries(spec.outputs)) {
      try {
        outputs[port] =
          typeof out.format === 'function' ? out.format({ config, inputs, baseDir: options.baseDir }) : out.format;
      } catch (error) {
        options.issues.push({
          code: 'invalid-config',
          message: `node "${id}" (${spec.type}): ${errorMessage(error)}`,
          path: nodes.get(id)?.path ?? ['nodes', id],
        });
      }
    }
    return outputs;
  };

  for (const id of order) {
    const node = nodes.get(id);
    if (!node?.configOk) continue;
    const inputs: Record<string, AudioFormat | undefined> = {};
    for (const link of byTarget.get(id) ?? []) {
      const format = outputFormats.get(link.from.node)?.[link.from.port];
      const caps = resolveInputCaps(node.spec.inputs[link.to.port], node.config);
      const queue = resolveQueueLimits(link.decl.queue, link.kinds.includes('audio'));
      if (typeof queue === 'string') continue;
      const feedback = link.decl.feedback ?? false;
      const mismatches = format && caps && link.kinds.includes('audio') ? capsMismatches(format, caps) : [];
      if (format && caps && mismatches.length > 0) {
        const target = fixateCaps(caps, format);
        const steps = findConverters(options.registry, format, target);
        const linkText = `${link.from.node}.${link.from.port} -> ${id}.${link.to.port}`;
        if (!options.autoConvert || !steps) {
          const detail = mismatches.map((m) => `${m.got} not accepted (${m.accepted})`).join(', ');
          const fix = steps
            ? `insert ${steps.map((s) => s.type).join(' and ')}${options.autoConvert ? '' : ' or set autoConvert: true'}`
            : fallbackConverterHint(format, caps);
          options.issues.push({
            code: 'caps-mismatch',
            message: `could not link ${linkText}: ${detail}`,
            fix,
            path: link.path,
          });
          inputs[link.to.port] ??= format;
          continue;
        }
        let prev = { node: link.from.node, port: link.from.port, format };
        for (const step of steps) {
          const spec = options.registry.get(step.type) as AnyNodeSpec;
          const short = step.type.split('.').pop() as string;
          let convId = `${link.from.node}_to_${id}_${short}`;
          for (let n = 2; usedIds.has(convId); n++) convId = `${link.from.node}_to_${id}_${short}${n}`;
          usedIds.add(convId);
          const config = (spec.config as z.ZodType).parse(step.config);
          const inPort = Object.keys(spec.inputs)[0];
          const outPort = Object.keys(spec.outputs)[0];
          const formats = {
            inputs: { [inPort]: prev.format },
            outputs: computeOutputs(convId, spec, config, { [inPort]: prev.format }),
          };
          resolved.set(convId, { id: convId, spec, config, onError: { policy: 'fail' }, formats });
          outLinks.push({
            id: `${prev.node}.${prev.port}->${convId}.${inPort}`,
            from: { node: prev.node, port: prev.port },
            to: { node: convId, port: inPort },
            kinds: link.kinds,
            queue,
            feedback,
            format: prev.format,
            path: link.path,
          });
          specLinks.push({ from: { node: prev.node, port: prev.port }, to: { node: convId, port: inPort } });
          inserted.push({
            decl: { id: convId, type: step.type, config: step.config },
            info: {
              node: convId,
              converter: step.type,
              from: formatToString(prev.format),
              to: formatToString(step.output),
              reason: `${linkText}: ${mismatches.map((m) => `${m.got} not accepted (${m.accepted})`).join(', ')}`,
            },
          });
          prev = { node: convId, port: outPort, format: formats.outputs[outPort] ?? step.output };
        }
        outLinks.push({
          id: `${prev.node}.${prev.port}->${id}.${link.to.port}`,
          from: { node: prev.node, port: prev.port },
          to: link.to,
          kinds: link.kinds,
          queue,
          feedback,
          format: prev.format,
          path: link.path,
        });
        specLinks.push({ ...link.decl, from: { node: prev.node, port: prev.port } });
        inputs[link.to.port] ??= prev.format;
        continue;
      }
      if (format) inputs[link.to.port] ??= format;
      outLinks.push({
        id: `${link.from.node}.${link.from.port}->${id}.${link.to.port}`,
        from: link.from,
        to: link.to,
        kinds: link.kinds,
        queue,
        feedback,
        ...(format ? { format } : {}),
        path: link.path,
      });
      specLinks.push(link.decl);
    }
    const outputs = computeOutputs(id, node.spec, node.config, inputs);
    outputFormats.set(id, outputs);
    resolved.set(id, {
      id,
      spec: node.spec,
      config: node.config,
      onError: node.decl.onError ?? { policy: 'fail' },
      formats: { inputs, outputs },
    });
  }
  return { nodes: resolved, links: outLinks, specLinks, inserted };
}
