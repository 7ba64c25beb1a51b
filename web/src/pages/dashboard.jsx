// Dashboard: detections over time, top sources, infected internal hosts, actions in force.
import { useState } from 'preact/hooks';
import { withQuery } from '../api.js';
import { Empty, ErrorBox, Ind, Level, LEVELS, Loaded, PageHead, Section, State, Time, fmtTime, num, useApi } from '../ui.jsx';

function Chart({ series }) {
  const buckets = series.buckets;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const w = 1000, h = 120, pad = 18;
  const bw = (w - pad) / buckets.length;
  const hourly = series.bucket_seconds === 3600;
  return (
    <svg class="chart" viewBox={`0 0 ${w} ${h + 16}`} role="img" aria-label="detections over time">
      <text x="0" y="10" class="axis">{max}</text>
      <line x1={pad} y1={h} x2={w} y2={h} class="base" />
      {buckets.map((b, i) => {
        let y = h;
        const x = pad + i * bw;
        const parts = [];
        for (const level of LEVELS) {
          const n = (b.by_level && b.by_level[level]) || 0;
          if (!n) continue;
          const bh = (n / max) * (h - 14);
          y -= bh;
          parts.push(<rect x={x + 1} y={y} width={Math.max(1, bw - 2)} height={bh} class={`bar level-${level}`} />);
        }
        const label = hourly ? b.start.slice(11, 13) : b.start.slice(5, 10);
        const every = hourly ? 3 : 4;
        return (
          <g>
            <title>{`${fmtTime(b.start)}: ${b.count} detection(s)`}</title>
            <rect x={x} y={0} width={bw} height={h} class="hit" />
            {parts}
            {i % every === 0 ? (
              <text x={x} y={h + 13} class="axis">
                {label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

function Stat({ label, value, href, tone }) {
  const inner = (
    <>
      <div class={`stat-value ${tone || ''}`}>{value}</div>
      <div class="stat-label">{label}</div>
    </>
  );
  return href ? (
    <a class="stat" href={href}>
      {inner}
    </a>
  ) : (
    <div class="stat">{inner}</div>
  );
}

export function Dashboard() {
  const [range, setRange] = useState('24h');
  const dash = useApi(withQuery('/api/v1/dashboard', { range }));
  const active = useApi('/api/v1/actions?state=active,pending&limit=50', { optional: true });
  const respond = useApi('/api/v1/respond', { optional: true });
  const sources = useApi('/api/v1/sources');

  const failing = sources.data ? sources.data.filter((s) => s.enabled && (s.fetch.status === 'error' || s.fetch.status === 'rejected')).length : null;
  const counts = (respond.data && respond.data.counts) || {};

  return (
    <>
      <PageHead title="Dashboard">
        <div class="seg" role="group" aria-label="range">
          {['24h', '7d'].map((r) => (
            <button class={r === range ? 'on' : ''} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </PageHead>
      {respond.data && respond.data.kill_switch ? (
        <div class="state error banner">Kill switch is ON: no response action is applied until an admin turns it off (Playbooks).</div>
      ) : null}
      <Loaded q={dash} what="dashboard">
        {(d) => (
          <>
            <div class="stats">
              <Stat label={`detections (${range})`} value={num(d.totals.detections)} href={`/ui/detections?since=${range}`} />
              <Stat label="ongoing" value={num(d.totals.ongoing)} href="/ui/detections?ongoing=1" tone={d.totals.ongoing ? 'warn' : ''} />
              <Stat label="infected hosts" value={num(d.infected_hosts.length)} tone={d.infected_hosts.length ? 'bad' : 'good'} />
              <Stat label="actions in force" value={respond.missing ? 'n/a' : num(counts.active ?? (active.data ? active.data.actions.length : null))} href="/ui/actions?state=active" />
              <Stat label="awaiting approval" value={respond.missing ? 'n/a' : num(counts.proposed ?? 0)} href="/ui/queue" tone={counts.proposed ? 'warn' : ''} />
              <Stat label="feeds failing" value={failing === null ? '…' : num(failing)} href="/ui/feeds" tone={failing ? 'bad' : 'good'} />
            </div>
            {d.truncated ? <div class="state">Only the newest detections were counted (more than the dashboard reads).</div> : null}
            <Section title={`Detections over time (${range}, UTC)`}>
              {d.totals.detections ? <Chart series={d.detections_over_time} /> : <Empty>No detections in this period.</Empty>}
              <div class="legend">
                {LEVELS.map((l) => (
                  <span>
                    <i class={`sw level-${l}`} /> {l} {d.totals.by_level[l] ? `(${d.totals.by_level[l]})` : ''}
                  </span>
                ))}
              </div>
            </Section>
            <div class="grid2">
              <Section title="Infected internal hosts">
                {d.infected_hosts.length ? (
                  <table class="t">
                    <thead>
                      <tr>
                        <th>host</th>
                        <th>contacted (listed)</th>
                        <th class="n">det.</th>
                        <th>last</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.infected_hosts.map((h) => (
                        <tr>
                          <td>
                            <Ind value={h.host} /> {h.ongoing ? <span class="badge state-active">ongoing</span> : null}
                          </td>
                          <td>
                            {h.indicators.map((i) => (
                              <div>
                                <Ind value={i} />
                              </div>
                            ))}
                          </td>
                          <td class="n">
                            <a href={`/ui/detections/${h.latest_detection_id}`}>{h.detections}</a>
                          </td>
                          <td>
                            <Time at={h.last} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <Empty>No internal host contacted a listed indicator in this period.</Empty>
                )}
              </Section>
              <Section title="Top sources">
                {d.top_sources.length ? (
                  <table class="t">
                    <thead>
                      <tr>
                        <th>source</th>
                        <th>level</th>
                        <th class="n">det.</th>
                        <th class="n">events</th>
                        <th>rules</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.top_sources.map((s) => (
                        <tr>
                          <td>
                            <Ind value={s.source} />
                          </td>
                          <td>
                            <Level level={s.max_level} />
                          </td>
                          <td class="n">
                            <a href={`/ui/detections?group=${encodeURIComponent(s.source)}`}>{s.detections}</a>
                          </td>
                          <td class="n">{num(s.events)}</td>
                          <td class="small">{s.rules.join(', ')}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <Empty>No sources in this period.</Empty>
                )}
              </Section>
            </div>
          </>
        )}
      </Loaded>
      <Section title="Actions in force" tools={<a href="/ui/actions?state=active">all actions →</a>}>
        {active.missing ? (
          <Empty>Response actions are not available on this server.</Empty>
        ) : (
          <>
            <ErrorBox error={active.error} what="Could not load actions" />
            {active.data ? (
              active.data.actions.length ? (
                <table class="t">
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>state</th>
                      <th>action</th>
                      <th>target</th>
                      <th>device</th>
                      <th>playbook</th>
                      <th>applied</th>
                      <th>expires</th>
                    </tr>
                  </thead>
                  <tbody>
                    {active.data.actions.map((a) => (
                      <tr>
                        <td>
                          <a href={`/ui/actions/${a.id}`}>{a.id}</a>
                        </td>
                        <td>
                          <State state={a.state} />
                        </td>
                        <td>{a.kind}</td>
                        <td>
                          <Ind value={a.target} />
                        </td>
                        <td>{a.device}</td>
                        <td>{a.playbook}</td>
                        <td>
                          <Time at={a.applied_at} />
                        </td>
                        <td>{a.expires_at ? <Time at={a.expires_at} /> : 'never'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>No action in force.</Empty>
              )
            ) : null}
          </>
        )}
      </Section>
    </>
  );
}
