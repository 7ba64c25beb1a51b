#include "rse/collect/collector.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "rse/ingest/event_json.h"



namespace mamori::rse::collect {
namespace {

constexpr int64_t kMicros = 1'000'000;
constexpr size_t kBatch = 1024;

Error BadSpec(std::string_view text, std::string_view why) {
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("input {:?}: {} (write FORMAT@SOURCE: sshd@/var/log/auth.log, "
                           "syslog-auto@udp://0.0.0.0:5514, syslog-auto@tcp://127.0.0.1:5514, "
                           "nginx-combined@-)",
                           text, why),
               "inputs"};
}

}  // namespace

Expected<InputSpec> ParseInputSpec(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  std::string_view t = trim(text);
  size_t at = t.find('@');
  if (at == std::string_view::npos) return tl::unexpected(BadSpec(text, "no '@'"));
  InputSpec spec;
  spec.text = std::string(t);
  spec.format = std::string(trim(t.substr(0, at)));
  std::string_view source = trim(t.substr(at + 1));
  if (spec.format.empty()) return tl::unexpected(BadSpec(text, "no format before '@'"));
  if (auto parser = ingest::MakeLogParser(spec.format); !parser) {
    return tl::unexpected(BadSpec(text, parser.error().message));
  }
  if (source.empty()) return tl::unexpected(BadSpec(text, "no source after '@'"));
  if (source == "-") {
    spec.transport = Transport::kStdin;
  } else if (source.starts_with("udp://") || source.starts_with("tcp://")) {
    spec.transport = source.starts_with("udp://") ? Transport::kUdp : Transport::kTcp;
    source.remove_prefix(6);
    if (source.find(':') == std::string_view::npos) {
      return tl::unexpected(BadSpec(text, "a syslog address needs a port (host:port)"));
    }
  } else if (source.find("://") != std::string_view::npos) {
    return tl::unexpected(BadSpec(text, "only udp:// and tcp:// addresses are known"));
  } else {
    spec.transport = Transport::kFile;
  }
  spec.source = std::string(source);
  return spec;
}

Expected<std::vector<InputSpec>> ParseInputSpecs(std::string_view text) {
  std::vector<InputSpec> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view piece =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (piece.find_first_not_of(" \t") != std::string_view::npos) {
      MAMORI_ASSIGN_OR_RETURN(auto spec, ParseInputSpec(piece));
      out.push_back(std::move(spec));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

struct Collector::Input {
  InputSpec spec;
  std::string name;
  std::unique_ptr<ingest::LogParser> parser;
  std::unique_ptr<ingest::LineCounter> counter;
  ingest::Event event;
  std::unique_ptr<detect::DetectionPipeline> pipeline;
  std::unique_ptr<FileFollower> follower;  // files only
  InputStatus live;       // the collector thread's counters
  InputStatus published;  // copy for status(), under status_mu_
  FileFollowerCounters published_file;  // files only; under status_mu_
  std::chrono::steady_clock::time_point last_sync{};
  bool dirty = false;      // lines processed since the last Sync
  bool caught_up = true;   // no backlog behind the last lines
};

Collector::Collector(CollectorOptions options, Clock& clock)
    : options_(std::move(options)), clock_(clock), queue_(options_.queue_capacity) {}

Collector::~Collector() { Stop(); }

Expected<std::unique_ptr<Collector>> Collector::Start(CollectorOptions options,
                                                      std::shared_ptr<const detect::RuleSet> rules,
                                                      store::Store* store,
                                                      detect::IndicatorLookup* intel,
                                                      Clock& clock) {
  if (options.inputs.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no inputs to collect from", "collector");
  }
  std::unique_ptr<Collector> c(new Collector(std::move(options), clock));
  c->store_ = store;
  ingest::ParserOptions parser_options;
  parser_options.now = clock.Now();
  parser_options.max_line_bytes = c->options_.max_line_bytes;

  // Syslog sockets first: their input names carry the bound address (port 0 in tests).
  SyslogListenerOptions listen;
  listen.max_message_bytes = c->options_.max_line_bytes;
  int stdin_inputs = 0;
  for (const auto& spec : c->options_.inputs) {
    if (spec.transport == Transport::kUdp) listen.udp.push_back(spec.source);
    if (spec.transport == Transport::kTcp) listen.tcp.push_back(spec.source);
    if (spec.transport == Transport::kStdin && ++stdin_inputs > 1) {
      return MakeError(ErrorCode::kInvalidArgument, "stdin can be read by one input only",
                       spec.text);
    }
  }
  if (!listen.udp.empty() || !listen.tcp.empty()) {
    MAMORI_ASSIGN_OR_RETURN(c->listener_, SyslogListener::Start(listen, c->queue_, clock));
  }

  std::vector<bool> endpoint_used(c->listener_ ? c->listener_->endpoints().size() : 0);
  for (const auto& spec : c->options_.inputs) {
    auto input = std::make_unique<Input>();
    input->spec = spec;
    MAMORI_ASSIGN_OR_RETURN(input->parser, ingest::MakeLogParser(spec.format, parser_options));
    input->counter = std::make_unique<ingest::LineCounter>(*input->parser);
    switch (spec.transport) {
      case Transport::kFile: {
        FileFollowerOptions fo;
        fo.start_at = c->options_.start_at;
        fo.max_line_bytes = c->options_.max_line_bytes;
        input->follower = std::make_unique<FileFollower>(spec.source, store, clock, fo);
        MAMORI_RETURN_IF_ERROR(input->follower->Start());
        input->name = input->follower->input();
        break;
      }
      case Transport::kUdp:
      case Transport::kTcp: {
        const auto& endpoints = c->listener_->endpoints();
        for (size_t i = 0; i < endpoints.size(); ++i) {
          if (!endpoint_used[i] && endpoints[i].transport == spec.transport &&
              endpoints[i].requested == spec.source) {
            endpoint_used[i] = true;
            input->name = endpoints[i].input;
            break;
          }
        }
        if (input->name.empty()) {
          return MakeError(ErrorCode::kInternal, "syslog input has no bound socket", spec.text);
        }
        break;
      }
      case Transport::kStdin:
        input->name = "stdin";
        break;
    }
    if (store != nullptr) {
      // Windows kept in memory by an earlier run of this input are gone.
      auto closed = store->CloseOngoingDetections(input->name);
      if (closed && *closed > 0) {
        spdlog::info("{}: closed {} detections left ongoing by the previous run", input->name,
                     *closed);
      }
    }
    detect::PipelineOptions po;
    po.input = input->name;
    po.detector = c->options_.detector;
    po.record_sightings = c->options_.record_sightings;
    input->pipeline =
        std::make_unique<detect::DetectionPipeline>(rules, clock, store, intel, po);
    if (c->options_.on_new_detections) {
      input->pipeline->set_on_recorded(c->options_.on_new_detections);
    }
    input->live.input = input->name;
    input->live.format = spec.format;
    input->published = input->live;
    if (spec.transport == Transport::kFile) c->files_.push_back(input.get());
    c->inputs_.push_back(std::move(input));
  }
  if (stdin_inputs > 0) {
    StreamSourceOptions so;
    so.max_line_bytes = c->options_.max_line_bytes;
    MAMORI_ASSIGN_OR_RETURN(c->stdin_, StreamSource::Start(STDIN_FILENO, so, c->queue_, clock));
  }
  c->thread_ = std::thread([raw = c.get()] { raw->Run(); });
  return c;
}

void Collector::ProcessLine(Input& input, std::string_view line, bool too_long) {
  input.live.last_line_at = clock_.Now();
  input.dirty = true;
  const uint64_t number = input.counter->stats().lines + 1;
  if (input.counter->Parse(line, too_long, number, input.event)) {
    input.pipeline->Process(input.event);
  }
}

bool Collector::ProcessQueue(std::chrono::milliseconds wait) {
  std::vector<Message> batch;
  size_t n = queue_.PopBatch(&batch, kBatch, wait);
  if (n == 0) return false;
  bool backlog = queue_.counters().size > 0;
  for (const auto& m : batch) {
    // Few inputs: a linear search is cheaper than hashing the name.
    for (auto& input : inputs_) {
      if (input->name == m.input) {
        ProcessLine(*input, m.text, m.truncated);
        input->caught_up = !backlog;
        break;
      }
    }
  }
  return true;
}

void Collector::PollFiles(bool* more) {
  for (Input* input : files_) {
    auto polled = input->follower->Poll([&](std::string_view line, const FileLine& info) {
      ProcessLine(*input, line, info.too_long);
    });
    if (!polled) {
      // Retried on the next poll; say it once per distinct error.
      if (input->live.last_error != polled.error().message) {
        spdlog::warn("{}: {}", input->name, polled.error().ToString());
        input->live.last_error = polled.error().message;
      }
      continue;
    }
    input->caught_up = !polled->more;
    if (polled->more) *more = true;
  }
}

void Collector::SyncAll(bool force) {
  auto now = std::chrono::steady_clock::now();
  for (auto& input : inputs_) {
    bool due = now - input->last_sync >= options_.sync_interval;
    // Quiet inputs are still synced now and then, so their quiet groups close.
    bool idle_due = now - input->last_sync >= std::chrono::seconds(1);
    if (!force && !((input->dirty && due) || idle_due)) continue;
    input->last_sync = now;
    input->dirty = false;
    detect::DetectionPipeline& p = *input->pipeline;
    ingest::UnixMicros at = input->caught_up ? clock_.Now() * kMicros : 0;
    auto synced = p.Sync(at);
    if (synced && input->follower) {
      auto checkpoint = input->follower->Checkpoint();
      if (!checkpoint) input->live.last_error = checkpoint.error().message;
    } else if (!synced) {
      input->live.last_error = synced.error().message;
    }
    input->live.counts = input->counter->stats();
    const auto& ps = p.stats();
    input->live.matched_events = ps.matched_events;
    input->live.detections_opened = ps.detections_opened;
    input->live.detections_closed = ps.detections_closed;
    input->live.store_errors = ps.store_errors;
    std::lock_guard lock(status_mu_);
    input->published = input->live;
    if (input->follower) input->published_file = input->follower->counters();
  }
}

void Collector::Run() {
  bool only_stdin = files_.empty() && !listener_;
  auto next_poll = std::chrono::steady_clock::now();
  while (!stop_.load()) {
    bool more = false;
    auto now = std::chrono::steady_clock::now();
    if (!files_.empty() && now >= next_poll) {
      PollFiles(&more);
      next_poll = now + options_.poll_interval;
    }
    auto wait = more ? std::chrono::milliseconds(0)
                     : std::min(options_.sync_interval, options_.poll_interval);
    bool got = ProcessQueue(wait);
    SyncAll(false);
    if (only_stdin && StdinDone() && !got && queue_.counters().size == 0) break;
  }
  // Whatever was queued before the stop is still processed.
  while (ProcessQueue(std::chrono::milliseconds(0))) {
  }
  if (only_stdin && StdinDone()) {
    // stdin ended: its detections are complete, as in a file import.
    for (auto& input : inputs_) (void)input->pipeline->Finish();
  }
  SyncAll(true);
  finished_ = true;
}

void Collector::Stop() {
  if (stop_.exchange(true)) {
    if (thread_.joinable()) thread_.join();
    return;
  }
  if (listener_) listener_->Stop();
  if (stdin_) stdin_->Stop();
  if (thread_.joinable()) thread_.join();
  queue_.Close();
}

CollectorStatus Collector::status() const {
  CollectorStatus s;
  {
    std::lock_guard lock(status_mu_);
    for (const auto& input : inputs_) {
      s.inputs.push_back(input->published);
      if (input->follower) s.files.push_back(input->published_file);
    }
  }
  if (listener_) {
    s.udp = listener_->counters(Transport::kUdp);
    s.tcp = listener_->counters(Transport::kTcp);
    s.endpoints = listener_->endpoints();
  }
  s.queue = queue_.counters();
  s.stdin_finished = StdinDone();
  return s;
}

nlohmann::json CollectorStatusToJson(const CollectorStatus& s) {
  using nlohmann::json;
  json inputs = json::array();
  for (const auto& i : s.inputs) {
    json one = ingest::IngestStatsToJson(i.counts);
    one.update({{"input", i.input},
                {"format", i.format},
                {"matched_events", i.matched_events},
                {"detections_opened", i.detections_opened},
                {"detections_closed", i.detections_closed},
                {"store_errors", i.store_errors},
                {"last_error", i.last_error}});
    inputs.push_back(std::move(one));
  }
  auto syslog = [](const SyslogCounters& c) {
    return json{{"messages", c.messages},
                {"dropped_queue_full", c.dropped_queue_full},
                {"kernel_drops", c.kernel_drops},
                {"oversized", c.oversized},
                {"framing_errors", c.framing_errors},
                {"connections", c.connections},
                {"backpressure_waits", c.backpressure_waits}};
  };
  return {{"inputs", inputs},
          {"udp", syslog(s.udp)},
          {"tcp", syslog(s.tcp)},
          {"queue",
           {{"size", s.queue.size}, {"high_water", s.queue.high_water},
            {"capacity", s.queue.capacity}, {"dropped_full", s.queue.dropped_full}}}};
}

}  // namespace mamori::rse::collect
