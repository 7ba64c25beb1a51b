// Shared pieces of the console: data loading hook, states (loading, error, empty), time and
// level rendering, and small table helpers.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';

// Loads `path` (null: nothing) and reloads when it changes. Stale answers are dropped.
export function useApi(path, { optional = false } = {}) {
  const [state, setState] = useState({ data: null, error: null, loading: !!path });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    if (!path) return;
    const mine = ++seq.current;
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api(path, { signal: ctrl.signal }).then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (error) => {
        if (error.name === 'AbortError' || mine !== seq.current) return;
        // optional: a 404 means "this server has no such feature" and is not an error.
        if (optional && error.status === 404) setState({ data: null, error: null, loading: false, missing: true });
        else setState({ data: null, error, loading: false });
      },
    );
    return () => ctrl.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function Loading({ what = '' }) {
  return <div class="state loading">Loading{what ? ` ${what}` : ''}…</div>;
}

export function ErrorBox({ error, what }) {
  if (!error) return null;
  return (
    <div class="state error" role="alert">
      {what ? <b>{what}: </b> : null}
      {error.message || String(error)}
    </div>
  );
}

export function Empty({ children }) {
  return <div class="state empty">{children}</div>;
}

// Renders the usual three states around a loaded value.
export function Loaded({ q, what, children }) {
  if (q.error) return <ErrorBox error={q.error} what={`Could not load ${what}`} />;
  if (q.data === null || q.data === undefined) return q.loading ? <Loading what={what} /> : null;
  return children(q.data);
}

const pad = (n) => String(n).padStart(2, '0');

// "2026-11-30 08:00:17" in UTC (analysts compare with logs, which are UTC here).
export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function ago(iso) {
  if (!iso) return '';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  const a = Math.abs(s);
  const v = a < 90 ? `${a}s` : a < 5400 ? `${Math.round(a / 60)}m` : a < 129600 ? `${Math.round(a / 3600)}h` : `${Math.round(a / 86400)}d`;
  return s >= 0 ? `${v} ago` : `in ${v}`;
}

export function Time({ at }) {
  if (!at) return <span class="muted">—</span>;
  return (
    <time datetime={at} title={`${at} (${ago(at)})`}>
      {fmtTime(at)}
    </time>
  );
}

export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds === 0) return 'permanent';
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];

export function Level({ level }) {
  return <span class={`badge level-${level || 'none'}`}>{level || '—'}</span>;
}

export function State({ state }) {
  return <span class={`badge state-${state}`}>{state}</span>;
}

// An indicator or address, monospace, linking to its lookup.
export function Ind({ value, link = true }) {
  if (!value) return <span class="muted">—</span>;
  if (!link) return <code class="ind">{value}</code>;
  return (
    <a class="ind" href={`/ui/lookup?q=${encodeURIComponent(value)}`}>
      <code>{value}</code>
    </a>
  );
}

export function num(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
}

export function Json({ value }) {
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}

export function KV({ rows }) {
  return (
    <dl class="kv">
      {rows
        .filter((r) => r)
        .map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v === null || v === undefined || v === '' ? <span class="muted">—</span> : v}</dd>
          </>
        ))}
    </dl>
  );
}

export function PageHead({ title, children }) {
  return (
    <div class="page-head">
      <h1>{title}</h1>
      <div class="page-tools">{children}</div>
    </div>
  );
}

export function Section({ title, children, tools }) {
  return (
    <section class="card">
      <header>
        <h2>{title}</h2>
        {tools ? <div class="tools">{tools}</div> : null}
      </header>
      {children}
    </section>
  );
}

export const ROLE_RANK = { viewer: 0, operator: 1, admin: 2 };
export function can(session, role) {
  return !!session && (ROLE_RANK[session.role] ?? -1) >= ROLE_RANK[role];
}
