#include "rse/ingest/event.h"

#include <algorithm>
#include <cstring>

namespace mamori::rse::ingest {
namespace {

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "source.ip",
    "source.port",
    "destination.ip",
    "destination.port",
    "network.transport",
    "network.protocol",
    "url.original",
    "url.domain",
    "http.request.method",
    "http.request.referrer",
    "http.response.status_code",
    "http.response.body.bytes",
    "http.version",
    "user_agent.original",
    "user.name",
    "event.action",
    "event.outcome",
    "event.category",
    "event.severity",
    "event.dataset",
    "rule.id",
    "rule.name",
    "rule.category",
    "observer.vendor",
    "observer.product",
    "observer.name",
    "host.name",
    "process.name",
    "process.pid",
    "dns.question.name",
    "dns.question.type",
    "dns.response_code",
    "tls.client.server_name",
    "network.bytes",
    "log.level",
    "message",
};

}  // namespace

std::string_view FieldName(Field field) { return kFieldNames[static_cast<size_t>(field)]; }

std::optional<Field> FieldFromName(std::string_view name) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (kFieldNames[i] == name) return static_cast<Field>(i);
  }
  return std::nullopt;
}

void Event::Clear() {
  values_.fill({});
  time = 0;
  raw = {};
  source_address_.reset();
  destination_address_.reset();
}

const std::optional<IpAddress>& Event::SourceAddress() const {
  if (!source_address_) source_address_ = ParseEventAddress(Get(Field::kSourceIp));
  return *source_address_;
}

const std::optional<IpAddress>& Event::DestinationAddress() const {
  if (!destination_address_) destination_address_ = ParseEventAddress(Get(Field::kDestinationIp));
  return *destination_address_;
}

std::vector<std::pair<std::string_view, std::string_view>> Event::Fields() const {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (!values_[i].empty()) out.emplace_back(kFieldNames[i], values_[i]);
  }
  return out;
}

OwnedEvent OwnedEvent::From(const Event& event) {
  OwnedEvent out;
  out.time = event.time;
  out.raw = std::string(event.raw);
  for (size_t i = 0; i < kFieldCount; ++i) {
    auto field = static_cast<Field>(i);
    if (event.Has(field)) out.fields.emplace_back(field, std::string(event.Get(field)));
  }
  return out;
}

std::string_view Arena::Store(std::string_view text) {
  char* out = Reserve(text.size());
  if (!text.empty()) std::memcpy(out, text.data(), text.size());
  return Commit(text.size());
}

char* Arena::Reserve(size_t size) {
  if (block_ < blocks_.size() && used_ + size <= blocks_[block_].size()) {
    return reserved_ = blocks_[block_].data() + used_;
  }
  // Next block that fits; an over-long value gets a block of its own size.
  while (block_ + 1 < blocks_.size()) {
    ++block_;
    used_ = 0;
    if (size <= blocks_[block_].size()) return reserved_ = blocks_[block_].data();
  }
  blocks_.emplace_back(std::max(size, kBlockSize), '\0');
  block_ = blocks_.size() - 1;
  used_ = 0;
  return reserved_ = blocks_[block_].data();
}

std::string_view Arena::Commit(size_t written) {
  std::string_view view(reserved_, written);
  used_ += written;
  reserved_ = nullptr;
  return view;
}

void Arena::Reset() {
  block_ = 0;
  used_ = 0;
  reserved_ = nullptr;
}

std::optional<IpAddress> ParseEventAddress(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (auto zone = text.find('%'); zone != std::string_view::npos) text = text.substr(0, zone);
  auto address = IpAddress::Parse(text);
  if (!address) return std::nullopt;
  return *address;
}

UnixMicros CivilToMicros(int year, int month, int day, int hour, int minute, int second,
                         int micros, int utc_offset_seconds) {
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 ||
      hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 || micros < 0 ||
      micros > 999999) {
    return 0;
  }
  // Days from civil (Howard Hinnant's algorithm).
  int y = year - (month <= 2);
  int era = y / 400;
  int yoe = y - era * 400;
  int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - utc_offset_seconds;
  return seconds * 1'000'000 + micros;
}

}  // namespace mamori::rse::ingest
