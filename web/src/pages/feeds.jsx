// Feeds: every intel source with its fetch state and a health verdict.
import { Empty, Loaded, PageHead, Time, ago, fmtDuration, num, useApi } from '../ui.jsx';

export function health(s) {
  const f = s.fetch || {};
  if (!s.enabled) return ['disabled', ''];
  if (f.status === 'error') return ['failing', 'bad'];
  if (f.status === 'rejected') return ['update rejected', 'bad'];
  if (!f.last_success_at) return ['never fetched', 'warn'];
  const age = (Date.now() - new Date(f.last_success_at).getTime()) / 1000;
  if (s.refresh_seconds > 0 && age > 2 * s.refresh_seconds + 600) return ['stale', 'warn'];
  return ['healthy', 'good'];
}

export function Feeds() {
  const q = useApi('/api/v1/sources');
  return (
    <>
      <PageHead title="Feeds" />
      <Loaded q={q} what="feeds">
        {(list) =>
          list.length ? (
            <table class="t" data-testid="feeds">
              <thead>
                <tr>
                  <th>source</th>
                  <th>health</th>
                  <th class="n">listed</th>
                  <th>format</th>
                  <th class="n">reliability</th>
                  <th>category</th>
                  <th>refresh</th>
                  <th>last success</th>
                  <th>last attempt</th>
                  <th>error</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => {
                  const [h, tone] = health(s);
                  return (
                    <tr>
                      <td>
                        <b>{s.name}</b>
                        <div class="mono small muted ellipsis" title={s.url}>
                          {s.url}
                        </div>
                      </td>
                      <td>
                        <span class={`badge ${tone}`}>{h}</span>
                      </td>
                      <td class="n">{num(s.listed_count)}</td>
                      <td>{s.format}</td>
                      <td class="n">{s.reliability}</td>
                      <td>{s.default_category || <span class="muted">—</span>}</td>
                      <td>{fmtDuration(s.refresh_seconds)}</td>
                      <td title={ago(s.fetch.last_success_at)}>
                        <Time at={s.fetch.last_success_at} />
                      </td>
                      <td>
                        <Time at={s.fetch.last_attempt_at} /> <span class="muted small">{s.fetch.status}</span>
                      </td>
                      <td class="error-text small">{s.fetch.error}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <Empty>No feeds configured. Add one with `mamori feeds add`.</Empty>
          )
        }
      </Loaded>
    </>
  );
}
