// Indicator / domain lookup: listing history per source (a table and a timeline), covering
// networks or parent domains, sightings, allowlist; and, when the server provides them, the
// domain's reputation score with its reasons and its category with the countermeasure.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../api.js';
import { navigate } from '../router.js';
import { Empty, ErrorBox, Ind, Json, KV, Level, Loading, PageHead, Section, Time, fmtTime, num, useApi } from '../ui.jsx';

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

// Reputation: {"score": 0..100, "reasons": [string | {text|reason|feature, weight|points}], ...}
function Reputation({ r }) {
  const score = r.score ?? r.value;
  const tone = score >= 70 ? 'bad' : score >= 40 ? 'warn' : 'good';
  return (
    <Section title="Reputation">
      <div class="score-row">
        <div class={`score ${tone}`} data-testid="reputation-score">
          {score ?? '—'}
          <small>/100</small>
        </div>
        <div class="meter">
          <div class={`meter-fill ${tone}`} style={{ width: `${Math.max(0, Math.min(100, score || 0))}%` }} />
        </div>
        {r.verdict || r.label ? <span class="badge">{r.verdict || r.label}</span> : null}
      </div>
      {Array.isArray(r.reasons) && r.reasons.length ? (
        <table class="t">
          <thead>
            <tr>
              <th>reason</th>
              <th class="n">weight</th>
            </tr>
          </thead>
          <tbody>
            {r.reasons.map((x) =>
              typeof x === 'string' ? (
                <tr>
                  <td>{x}</td>
                  <td />
                </tr>
              ) : (
                <tr>
                  <td>
                    {x.text || x.reason || x.description || x.feature || JSON.stringify(x)}
                    {x.feature && (x.text || x.reason) ? <span class="muted small"> ({x.feature})</span> : null}
                  </td>
                  <td class="n">{x.weight ?? x.points ?? x.contribution ?? ''}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}

// Category: {"category"|"name", "action"|"countermeasure", "defense_point", "abuse_contact", ...}
function Category({ c }) {
  const known = ['category', 'name', 'action', 'countermeasure', 'defense_point', 'abuse_contact', 'reasons', 'explanation'];
  const rest = Object.entries(c).filter(([k]) => !known.includes(k));
  return (
    <Section title="Category and countermeasure">
      <KV
        rows={[
          ['category', <b data-testid="category">{c.category || c.name}</b>],
          ['countermeasure', c.countermeasure || c.action],
          c.countermeasure && c.action ? ['action', c.action] : null,
          ['defense point', c.defense_point],
          ['abuse contact', c.abuse_contact ? <code>{typeof c.abuse_contact === 'object' ? JSON.stringify(c.abuse_contact) : c.abuse_contact}</code> : null],
          c.explanation ? ['why', c.explanation] : null,
          ...rest.map(([k, v]) => [k, typeof v === 'object' ? <Json value={v} /> : String(v)]),
        ]}
      />
      {Array.isArray(c.reasons) && c.reasons.length ? (
        <ul>
          {c.reasons.map((x) => (
            <li>{typeof x === 'string' ? x : JSON.stringify(x)}</li>
          ))}
        </ul>
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
  if (state.loading) return <Loading what="lookup" />;
  if (state.error) return <ErrorBox error={state.error} what={`Cannot look up “${value}”`} />;
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
      {d.reputation ? <Reputation r={d.reputation} /> : null}
      {d.category ? <Category c={d.category} /> : null}
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
