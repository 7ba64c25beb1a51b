// Indicator / domain lookup: listing history per source (a table and a timeline), covering
// networks or parent domains, sightings, allowlist; and, for a domain name, its reputation score
// with the reasons (GET /api/v1/domains/<name>) and its category with the countermeasure
// (GET /api/v1/domains/<name>/category), fetched in parallel with the lookup.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../api.js';
import { navigate } from '../router.js';
import { Empty, ErrorBox, Ind, KV, Level, Loading, PageHead, Section, Time, fmtTime, num, useApi } from '../ui.jsx';

function Timeline({ intervals }) {
  if (!intervals.length) return null;
  const now = Date.now();
  const t = (iso) => (iso ? new Date(iso).getTime() : now);
  const start = Math.min(...intervals.map((i) => t(i.first_listed)));
  const span = Math.max(1, now - start);
  const sources = [...new Set(intervals.map((i) => i.source))];
  return (
    <div class="timeline" aria-label="listing timeline">
      {sources.map((s) => (
        <div class="tl-row">
          <div class="tl-label mono" title={s}>
            {s}
          </div>
          <div class="tl-track">
            {intervals
              .filter((i) => i.source === s)
              .map((i) => {
                const a = ((t(i.first_listed) - start) / span) * 100;
                const b = ((t(i.delisted_at) - start) / span) * 100;
                return (
                  <div
                    class={i.listed ? 'tl-bar listed' : 'tl-bar'}
                    style={{ left: `${a}%`, width: `${Math.max(0.5, b - a)}%` }}
                    title={`${fmtTime(i.first_listed)} → ${i.delisted_at ? fmtTime(i.delisted_at) : 'now'}`}
                  />
                );
              })}
          </div>
        </div>
      ))}
      <div class="tl-axis">
        <span>{fmtTime(new Date(start).toISOString()).slice(0, 10)}</span>
        <span>now</span>
      </div>
    </div>
  );
}

function History({ h, title }) {
  return (
    <Section title={title}>
      <div class="muted small">
        {h.type} <Ind value={h.value} link={false} /> · first seen <Time at={h.first_seen} />
      </div>
      <Timeline intervals={h.intervals} />
      {h.intervals.length ? (
        <table class="t" data-testid="history">
          <thead>
            <tr>
              <th>source</th>
              <th>state</th>
              <th>category</th>
              <th class="n">confidence</th>
              <th>first listed</th>
              <th>last seen</th>
              <th>delisted</th>
            </tr>
          </thead>
          <tbody>
            {h.intervals.map((i) => (
              <tr>
                <td>{i.source}</td>
                <td>{i.listed ? <span class="badge listed">listed</span> : <span class="badge">delisted</span>}</td>
                <td>{i.category || <span class="muted">—</span>}</td>
                <td class="n">{i.confidence ?? '—'}</td>
                <td>
                  <Time at={i.first_listed} />
                </td>
                <td>
                  <Time at={i.last_seen} />
                </td>
                <td>
                  <Time at={i.delisted_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty>Never listed by a source.</Empty>
      )}
      {h.sightings && h.sightings.length ? (
        <>
          <h3>Sightings</h3>
          <table class="t">
            <thead>
              <tr>
                <th>observed</th>
                <th>observer</th>
                <th class="n">count</th>
                <th>context</th>
              </tr>
            </thead>
            <tbody>
              {h.sightings.map((s) => (
                <tr>
                  <td>
                    <Time at={s.observed_at} />
                  </td>
                  <td class="mono small">{s.observer}</td>
                  <td class="n">{num(s.count)}</td>
                  <td class="mono small">{typeof s.context === 'object' ? JSON.stringify(s.context) : s.context}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Section>
  );
}

// The query as the domain endpoints take it, or null when it is not a domain name: an address,
// a network, a URL or a hash is looked up as an indicator only (the domain endpoints would answer
// 400). Defanged dots ("evil[.]example") are restored, as the indicator lookup does.
export function domainName(value) {
  const v = value
    .trim()
    .toLowerCase()
    .replace(/\[\.\]|\(\.\)|\{\.\}/g, '.')
    .replace(/\.$/, '');
  if (!v.includes('.') || /[\s/\\:@?#[\]]/.test(v)) return null; // URL, IPv6, e-mail, text
  const labels = v.split('.');
  if (labels.some((l) => !l || l.length > 63)) return null;
  if (/^\d+$/.test(labels[labels.length - 1])) return null; // IPv4 (a TLD is never all digits)
  return v;
}

// What a failed domain call means, in a short note: the page goes on without that section.
function DomainNote({ error, what }) {
  let text = error.message || String(error);
  if (error.status === 503) text = `this server has no ${what === 'reputation' ? 'reputation model' : 'domain categorizer'} (${text})`;
  else if (error.status === 404) text = `this server does not serve the ${what} of domains`;
  else if (error.status === 400) text = `not scored: ${text}`;
  return (
    <div class="state small" data-testid={`${what}-note`}>
      No {what}: {text}.
    </div>
  );
}

const signed = (x) => (x > 0 ? '+' : '') + Number(x).toFixed(2);

// GET /api/v1/domains/<name> (src/domain/reputation/json.cc): {domain, registered_domain, score
// 0–100, threshold, malicious, has_history, at, reasons [{feature, contribution, text}], features}.
function Reputation({ q }) {
  if (q.loading) return <Section title="Reputation"><Loading what="reputation" /></Section>;
  if (q.error) return <Section title="Reputation"><DomainNote error={q.error} what="reputation" /></Section>;
  const r = q.data;
  if (!r) return null;
  const tone = r.malicious ? 'bad' : r.score >= r.threshold / 2 ? 'warn' : 'good';
  const reasons = r.reasons || [];
  const maxAbs = Math.max(1e-9, ...reasons.map((x) => Math.abs(x.contribution || 0)));
  return (
    <Section title="Reputation" tools={<span class="muted small">as of <Time at={r.at} /></span>}>
      <div class="score-row">
        <div class={`score ${tone}`} data-testid="reputation-score">
          {r.score}
          <small>/100</small>
        </div>
        <div class="meter" title={`threshold ${r.threshold}`}>
          <div class={`meter-fill ${tone}`} style={{ width: `${Math.max(0, Math.min(100, r.score))}%` }} />
        </div>
        <span class={`badge ${r.malicious ? 'bad' : 'good'}`} data-testid="reputation-verdict">
          {r.malicious ? 'malicious' : 'not malicious'}
        </span>
        <span class="muted small">
          {r.malicious ? 'at or above' : 'below'} the model's threshold {r.threshold} ·{' '}
          {r.has_history ? 'scored on the store’s evidence' : 'no history in the store: scored on the name alone'}
        </span>
      </div>
      <div class="muted small">
        <code>{r.domain}</code>
        {r.registered_domain && r.registered_domain !== r.domain ? <> · registered domain <code>{r.registered_domain}</code></> : null}
      </div>
      {reasons.length ? (
        <table class="t" data-testid="reputation-reasons">
          <thead>
            <tr>
              <th>reason</th>
              <th>feature</th>
              <th class="n">contribution</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {reasons.map((x) => (
              <tr>
                <td>{x.text}</td>
                <td class="mono small">{x.feature}</td>
                <td class={`n ${x.contribution > 0 ? 'raise' : x.contribution < 0 ? 'lower' : ''}`}>
                  {x.contribution > 0 ? '↑ ' : x.contribution < 0 ? '↓ ' : ''}
                  {signed(x.contribution || 0)}
                </td>
                <td>
                  <div class="meter small-meter">
                    <div
                      class={`meter-fill ${x.contribution > 0 ? 'bad' : ''}`}
                      style={{ width: `${(Math.abs(x.contribution || 0) / maxAbs) * 100}%` }}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty>The model gave no reasons.</Empty>
      )}
    </Section>
  );
}

const POINT_WORDS = { dns_rpz: 'the DNS resolver (RPZ)', firewall: 'firewall', web_proxy: 'web proxy', endpoint: 'endpoint' };
function words(list) {
  return list.length < 2 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

// The countermeasure of a categorization in one line of plain words (docs/domain-categories.md,
// "Actions and defense points").
export function countermeasure(c) {
  const at = words((c.defense_points || []).map((p) => POINT_WORDS[p] || p));
  const where = at ? ` at ${at.startsWith('the ') ? at : `the ${at}`}` : '';
  const report = c.abuse_contact ? `; report to ${c.abuse_contact}` : '';
  switch (c.action) {
    case 'block-registered-domain':
      return `Block the registered domain ${c.block_at} (and every name below it)${where}${report}.`;
    case 'block-fqdn':
      return `Block the host name ${c.block_at} (and the names below it)${where}${
        c.platform ? `, never the platform ${c.platform} itself` : ''
      }${report}.`;
    case 'block-url':
      return `Block only the URL pattern ${c.block_at}${where}, not the whole name${report}.`;
    case 'report-abuse':
      return `Nothing to block: report to ${c.abuse_contact || c.provider || c.platform || 'the network'} so the campaign is stopped.`;
    case 'monitor':
      return `Nothing specific to block: monitor${report}.`;
    default:
      return `${c.action}${c.block_at ? ` ${c.block_at}` : ''}${report}.`;
  }
}

// GET /api/v1/domains/<name>/category (src/domain/category/json.cc): {input, domain,
// registered_domain, category, confidence 0–1, evidence[], action, block_at, defense_points[],
// abuse_contact, platform?, provider?, typosquat?, dga_probability?}.
function Category({ q }) {
  const title = 'Category and countermeasure';
  if (q.loading) return <Section title={title}><Loading what="category" /></Section>;
  if (q.error) return <Section title={title}><DomainNote error={q.error} what="category" /></Section>;
  const c = q.data;
  if (!c) return null;
  return (
    <Section title={title}>
      <div class="state countermeasure" data-testid="countermeasure">
        {countermeasure(c)}
      </div>
      <KV
        rows={[
          ['category', <b data-testid="category">{c.category}</b>],
          ['confidence', `${Math.round((c.confidence || 0) * 100)} %`],
          ['action', <code data-testid="action">{c.action}</code>],
          ['block at', c.block_at ? <code data-testid="block-at">{c.block_at}</code> : <span class="muted" data-testid="block-at">— (nothing to block)</span>],
          ['defense points', (c.defense_points || []).length ? c.defense_points.map((p) => <span class="badge" title={POINT_WORDS[p]}>{p}</span>) : null],
          ['abuse contact', c.abuse_contact ? <code>{c.abuse_contact}</code> : null],
          c.platform ? ['platform', <><code>{c.platform}</code>{c.provider ? ` (${c.provider})` : ''}</>] : null,
          !c.platform && c.provider ? ['provider', c.provider] : null,
          c.typosquat ? ['imitates', `${c.typosquat.brand} (${c.typosquat.technique}, distance ${c.typosquat.distance})`] : null,
          c.dga_probability !== undefined ? ['DGA probability', c.dga_probability] : null,
          c.registered_domain && c.registered_domain !== c.domain ? ['registered domain', <code>{c.registered_domain}</code>] : null,
        ]}
      />
      {(c.evidence || []).length ? (
        <>
          <h3>Evidence</h3>
          <ul class="evidence-list" data-testid="category-evidence">
            {c.evidence.map((x) => (
              <li>{x}</li>
            ))}
          </ul>
        </>
      ) : null}
    </Section>
  );
}

function Result({ value }) {
  const [state, setState] = useState({ loading: true });
  useEffect(() => {
    const ctrl = new AbortController();
    setState({ loading: true });
    api(`/api/v1/indicators/${encodeURIComponent(value)}`, { signal: ctrl.signal }).then(
      (data) => setState({ data }),
      (error) => {
        if (error.name === 'AbortError') return;
        // 404 still carries the answer ("not known").
        if (error.status === 404 && error.data && error.data.query) setState({ data: error.data });
        else setState({ error });
      },
    );
    return () => ctrl.abort();
  }, [value]);
  const detections = useApi(withQuery('/api/v1/detections', { group: value, limit: 20 }));
  // For a domain name, its reputation and category come in parallel with the lookup (no round
  // trip waits on another); each one failing only leaves a note in its own section.
  const name = domainName(value);
  const reputation = useApi(name ? `/api/v1/domains/${encodeURIComponent(name)}` : null);
  const category = useApi(name ? `/api/v1/domains/${encodeURIComponent(name)}/category` : null);
  const domain = name ? (
    <div class="grid2" data-testid="domain-verdict">
      <Reputation q={reputation} />
      <Category q={category} />
    </div>
  ) : null;
  if (state.loading)
    return (
      <>
        <Loading what="lookup" />
        {domain}
      </>
    );
  if (state.error)
    return (
      <>
        <ErrorBox error={state.error} what={`Cannot look up “${value}”`} />
        {domain}
      </>
    );
  const d = state.data;
  const status = d.listed_now
    ? ['LISTED NOW', 'listed']
    : d.known && d.history && d.history.intervals.length
      ? ['previously listed', 'warn']
      : d.covering.length
        ? ['covered by a listing', 'warn']
        : d.known
          ? ['known, not listed', '']
          : ['not known', 'good'];
  return (
    <>
      <div class="lookup-head">
        <code class="big">{d.query.value}</code> <span class="muted">{d.query.type}</span>{' '}
        <span class={`badge ${status[1]}`} data-testid="lookup-status">
          {status[0]}
        </span>
        {d.allowlisted_by ? (
          <span class="badge good" title={d.allowlisted_by.reason}>
            allowlisted by {d.allowlisted_by.kind} {d.allowlisted_by.value}
          </span>
        ) : null}
      </div>
      {d.allowlisted_by ? (
        <div class="state">
          Allowlisted ({d.allowlisted_by.kind} <code>{d.allowlisted_by.value}</code>): {d.allowlisted_by.reason || 'no reason given'}
          {d.allowlisted_by.expires_at ? <> — until <Time at={d.allowlisted_by.expires_at} /></> : null}. It is never put on a device blocklist.
        </div>
      ) : null}
      {domain}
      {d.history ? <History h={d.history} title="Listing history" /> : null}
      {d.covering.map((h) => (
        <History h={h} title={`Covered by ${h.value}`} />
      ))}
      {!d.history && !d.covering.length ? <Empty>No source has listed this {d.query.type}, and nothing covering it is listed.</Empty> : null}
      {detections.data && detections.data.detections.length ? (
        <Section title="Detections with this group">
          <table class="t">
            <tbody>
              {detections.data.detections.map((x) => (
                <tr>
                  <td>
                    <a href={`/ui/detections/${x.id}`}>#{x.id}</a>
                  </td>
                  <td>
                    <Level level={x.level} />
                  </td>
                  <td>{x.title}</td>
                  <td class="n">{num(x.count)}</td>
                  <td>
                    <Time at={x.last} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}
    </>
  );
}

export function Lookup({ query }) {
  const value = (query.get('q') || '').trim();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <>
      <PageHead title="Lookup" />
      <form
        class="filters lookup-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) navigate(withQuery('/ui/lookup', { q: text.trim() }));
        }}
      >
        <input
          name="q"
          class="mono grow"
          placeholder="IP, CIDR, domain, URL or hash"
          value={text}
          onInput={(e) => setText(e.target.value)}
          autofocus
          aria-label="indicator"
        />
        <button type="submit" class="primary">
          Look up
        </button>
      </form>
      {value ? <Result key={value} value={value} /> : <Empty>Enter an indicator: an address, a network, a domain, a URL or a file hash.</Empty>}
    </>
  );
}
