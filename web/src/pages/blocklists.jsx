// Device blocklists: every profile's published list, its coverage (share of priority kept
// within the device's capacity, by source and category) and what the last builds changed.
import { useState } from 'preact/hooks';
import { Empty, ErrorBox, Loaded, Loading, PageHead, Section, Time, num, useApi } from '../ui.jsx';

function pct(x) {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;
}

function Lines({ title, lines }) {
  if (!lines || !lines.length) return null;
  return (
    <table class="t">
      <thead>
        <tr>
          <th>{title}</th>
          <th class="n">candidates</th>
          <th class="n">selected</th>
          <th>priority kept</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => {
          const share = l.share ?? (l.priority > 0 ? l.covered_priority / l.priority : 0);
          return (
            <tr>
              <td>{l.name || <span class="muted">(none)</span>}</td>
              <td class="n">{num(l.candidates)}</td>
              <td class="n">{num(l.selected)}</td>
              <td>
                <div class="meter small-meter">
                  <div class="meter-fill good" style={{ width: `${share * 100}%` }} />
                </div>{' '}
                {pct(share)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Builds({ profile }) {
  const q = useApi(`/api/v1/blocklists/${encodeURIComponent(profile)}/builds?limit=10`);
  if (q.loading && !q.data) return <Loading what="builds" />;
  if (q.error) return <ErrorBox error={q.error} what="Could not load builds" />;
  const builds = q.data.builds;
  if (!builds.length) return <Empty>No build recorded yet.</Empty>;
  const last = builds.find((b) => b.status === 'ok');
  const r = last ? last.report : null;
  return (
    <div class="builds">
      {r && r.capacity ? (
        <div class="cov">
          <div>
            <b>{num(r.entries)}</b> entries for <b>{num(r.candidates)}</b> candidates
            {r.capacity.total ? <> · capacity {num(r.capacity.total)}</> : null}
            {r.aggregates ? <> · {num(r.aggregates)} CIDR aggregates</> : null}
            {r.dropped_protected ? <> · {num(r.dropped_protected)} refused (protected addresses)</> : null}
          </div>
          <div class="score-row">
            <span>priority kept</span>
            <div class="meter">
              <div class="meter-fill good" style={{ width: `${(r.share || 0) * 100}%` }} />
            </div>
            <b>{pct(r.share)}</b>
          </div>
          <div class="grid2">
            <Lines title="source" lines={r.by_source} />
            <Lines title="category" lines={r.by_category} />
          </div>
        </div>
      ) : null}
      <h3>Builds</h3>
      <table class="t">
        <thead>
          <tr>
            <th>built</th>
            <th>status</th>
            <th class="n">entries</th>
            <th class="n">added</th>
            <th class="n">removed</th>
            <th class="n">kept</th>
            <th>coverage</th>
            <th>error</th>
          </tr>
        </thead>
        <tbody>
          {builds.map((b) => {
            const c = (b.report && b.report.changes) || {};
            return (
              <tr>
                <td>
                  <Time at={b.built_at} />
                </td>
                <td>
                  <span class={b.status === 'ok' ? 'badge good' : 'badge bad'}>{b.status}</span>
                </td>
                <td class="n">{num(b.entries)}</td>
                <td class="n plus">{c.added ? `+${num(c.added)}` : '0'}</td>
                <td class="n minus">{c.removed ? `−${num(c.removed)}` : '0'}</td>
                <td class="n">{num(c.kept)}</td>
                <td>{b.total_priority > 0 ? pct(b.covered_priority / b.total_priority) : '—'}</td>
                <td class="error-text small">{b.error}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function Blocklists() {
  const q = useApi('/api/v1/blocklists');
  const [open, setOpen] = useState(null);
  return (
    <>
      <PageHead title="Device blocklists" />
      <Loaded q={q} what="blocklists">
        {(list) =>
          list.length ? (
            <table class="t" data-testid="blocklists">
              <thead>
                <tr>
                  <th>profile</th>
                  <th>kind</th>
                  <th>served</th>
                  <th class="n">entries</th>
                  <th>built</th>
                  <th>last error</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <>
                    <tr>
                      <td>
                        <b>{p.profile}</b>
                      </td>
                      <td>{p.kind}</td>
                      <td>{p.served ? <span class="badge good">served</span> : <span class="badge" title="no credentials configured: /edl/ answers 404">not served</span>}</td>
                      <td class="n">{num(p.entries)}</td>
                      <td>
                        <Time at={p.built_at} />
                      </td>
                      <td class="error-text small">
                        {p.last_error}
                        {p.last_error_at ? <> (<Time at={p.last_error_at} />)</> : null}
                      </td>
                      <td>
                        <button class="link" onClick={() => setOpen(open === p.profile ? null : p.profile)}>
                          {open === p.profile ? 'hide' : 'coverage & changes'}
                        </button>
                      </td>
                    </tr>
                    {open === p.profile ? (
                      <tr class="expanded">
                        <td colspan="7">
                          <Builds profile={p.profile} />
                        </td>
                      </tr>
                    ) : null}
                  </>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>No device profiles are loaded (see docs/formats/device-profile.md).</Empty>
          )
        }
      </Loaded>
    </>
  );
}
