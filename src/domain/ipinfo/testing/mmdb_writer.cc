#include "domain/ipinfo/testing/mmdb_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>

namespace mamori::domain::ipinfo::testing {

MmdbValue MmdbValue::String(std::string s) {
  MmdbValue v;
  v.type = Type::kString;
  v.text = std::move(s);
  return v;
}
MmdbValue MmdbValue::Uint16(uint16_t n) {
  MmdbValue v;
  v.type = Type::kUint16;
  v.number = n;
  return v;
}
MmdbValue MmdbValue::Uint32(uint32_t n) {
  MmdbValue v;
  v.type = Type::kUint32;
  v.number = n;
  return v;
}
MmdbValue MmdbValue::Uint64(uint64_t n) {
  MmdbValue v;
  v.type = Type::kUint64;
  v.number = n;
  return v;
}
MmdbValue MmdbValue::Map(std::vector<std::pair<std::string, MmdbValue>> entries) {
  MmdbValue v;
  v.type = Type::kMap;
  for (auto& [key, value] : entries) {
    v.keys.push_back(std::move(key));
    v.values.push_back(std::move(value));
  }
  return v;
}
MmdbValue MmdbValue::Array(std::vector<MmdbValue> items) {
  MmdbValue v;
  v.type = Type::kArray;
  v.values = std::move(items);
  return v;
}

MmdbValue AsnRecord(uint32_t asn, std::string organization) {
  return MmdbValue::Map({{"autonomous_system_number", MmdbValue::Uint32(asn)},
                         {"autonomous_system_organization", MmdbValue::String(organization)}});
}

MmdbValue CountryRecord(std::string iso_code) {
  return MmdbValue::Map(
      {{"country", MmdbValue::Map({{"iso_code", MmdbValue::String(std::move(iso_code))}})}});
}

namespace {

// Data field types of the specification (section "Output Data Section").
enum : int {
  kTypeString = 2,
  kTypeUint16 = 5,
  kTypeUint32 = 6,
  kTypeMap = 7,
  kTypeUint64 = 9,
  kTypeArray = 11,
};

// Control byte(s): 3 type bits and 5 size bits; types above 7 write 0 there and (type - 7) in
// the next byte; sizes of 29 and more continue in 1-3 bytes after that.
void WriteControl(std::string& out, int type, size_t size) {
  uint8_t size_bits;
  std::string extra;
  if (size < 29) {
    size_bits = static_cast<uint8_t>(size);
  } else if (size < 29 + 256) {
    size_bits = 29;
    extra.push_back(static_cast<char>(size - 29));
  } else if (size < 285 + 65536) {
    size_bits = 30;
    size_t v = size - 285;
    extra.push_back(static_cast<char>(v >> 8));
    extra.push_back(static_cast<char>(v & 0xff));
  } else {
    size_bits = 31;
    size_t v = size - 65821;
    extra.push_back(static_cast<char>((v >> 16) & 0xff));
    extra.push_back(static_cast<char>((v >> 8) & 0xff));
    extra.push_back(static_cast<char>(v & 0xff));
  }
  if (type <= 7) {
    out.push_back(static_cast<char>((type << 5) | size_bits));
  } else {
    out.push_back(static_cast<char>(size_bits));
    out.push_back(static_cast<char>(type - 7));
  }
  out += extra;
}

// Unsigned integers are big-endian with leading zero bytes left out (0 has size 0).
void WriteUnsigned(std::string& out, int type, uint64_t value) {
  std::string bytes;
  while (value != 0) {
    bytes.insert(bytes.begin(), static_cast<char>(value & 0xff));
    value >>= 8;
  }
  WriteControl(out, type, bytes.size());
  out += bytes;
}

void Encode(std::string& out, const MmdbValue& v) {
  switch (v.type) {
    case MmdbValue::Type::kString:
      WriteControl(out, kTypeString, v.text.size());
      out += v.text;
      break;
    case MmdbValue::Type::kUint16:
      WriteUnsigned(out, kTypeUint16, v.number);
      break;
    case MmdbValue::Type::kUint32:
      WriteUnsigned(out, kTypeUint32, v.number);
      break;
    case MmdbValue::Type::kUint64:
      WriteUnsigned(out, kTypeUint64, v.number);
      break;
    case MmdbValue::Type::kMap:
      WriteControl(out, kTypeMap, v.keys.size());
      for (size_t i = 0; i < v.keys.size(); ++i) {
        WriteControl(out, kTypeString, v.keys[i].size());
        out += v.keys[i];
        Encode(out, v.values[i]);
      }
      break;
    case MmdbValue::Type::kArray:
      WriteControl(out, kTypeArray, v.values.size());
      for (const MmdbValue& item : v.values) Encode(out, item);
      break;
  }
}

}  // namespace

MmdbWriter::MmdbWriter(MmdbWriterOptions options) : options_(std::move(options)) {
  nodes_.emplace_back();  // the root
}

Status MmdbWriter::Insert(const Cidr& network, MmdbValue data) {
  const IpAddress& address = network.network();
  if (!address.is_v4() && options_.ip_version == 4) {
    return MakeError(ErrorCode::kInvalidArgument, "IPv6 network in an IPv4 database",
                     network.ToString());
  }
  if (network.prefix() == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "a /0 network has no record to hold it",
                     network.ToString());
  }
  // Bits of the tree key: IPv4 addresses sit at ::a.b.c.d in an IPv6 tree.
  std::array<uint8_t, 16> key{};
  int prefix = network.prefix();
  if (address.is_v4() && options_.ip_version == 6) {
    std::copy(address.bytes().begin(), address.bytes().begin() + 4, key.begin() + 12);
    prefix += 96;
  } else {
    key = address.bytes();
  }
  uint32_t data_index = static_cast<uint32_t>(data_.size());
  data_.push_back(std::move(data));
  uint32_t node = 0;
  for (int depth = 0; depth < prefix; ++depth) {
    int bit = (key[depth / 8] >> (7 - depth % 8)) & 1;
    Record record = nodes_[node].child[bit];
    if (depth == prefix - 1) {
      nodes_[node].child[bit] = Record{Record::Kind::kData, data_index};
      break;
    }
    if (record.kind == Record::Kind::kNode) {
      node = record.value;
      continue;
    }
    // Empty or a shorter network's data: a new node whose both halves keep what was there.
    uint32_t fresh = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(Node{{record, record}});
    nodes_[node].child[bit] = Record{Record::Kind::kNode, fresh};
    node = fresh;
  }
  return Ok();
}

Expected<std::string> MmdbWriter::Serialize() const {
  const uint64_t node_count = nodes_.size();
  std::string data_section;
  std::vector<uint64_t> offsets;
  for (const MmdbValue& value : data_) {
    offsets.push_back(data_section.size());
    Encode(data_section, value);
  }
  const uint64_t max_record = (uint64_t{1} << options_.record_size) - 1;
  auto record_value = [&](const Record& r) -> uint64_t {
    switch (r.kind) {
      case Record::Kind::kEmpty:
        return node_count;
      case Record::Kind::kNode:
        return r.value;
      case Record::Kind::kData:
        return node_count + 16 + offsets[r.value];
    }
    return node_count;
  };

  std::string out;
  for (const Node& node : nodes_) {
    uint64_t left = record_value(node.child[0]);
    uint64_t right = record_value(node.child[1]);
    if (left > max_record || right > max_record) {
      return MakeError(ErrorCode::kTooLarge,
                       fmt::format("a record value does not fit {} bits", options_.record_size));
    }
    auto put = [&out](uint64_t v, int bytes) {
      for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    switch (options_.record_size) {
      case 24:
        put(left, 3);
        put(right, 3);
        break;
      case 28:
        // The middle byte holds bits 24-27 of the left record (high nibble) and of the right.
        put(left & 0xffffff, 3);
        out.push_back(static_cast<char>(((left >> 24) << 4) | (right >> 24)));
        put(right & 0xffffff, 3);
        break;
      case 32:
        put(left, 4);
        put(right, 4);
        break;
      default:
        return MakeError(ErrorCode::kInvalidArgument,
                         fmt::format("record_size {} is not 24, 28 or 32", options_.record_size));
    }
  }
  out.append(16, '\0');
  out += data_section;
  out += "\xAB\xCD\xEFMaxMind.com";

  std::vector<MmdbValue> languages;
  for (const std::string& l : options_.languages) languages.push_back(MmdbValue::String(l));
  MmdbValue metadata = MmdbValue::Map({
      {"binary_format_major_version", MmdbValue::Uint16(2)},
      {"binary_format_minor_version", MmdbValue::Uint16(0)},
      {"build_epoch", MmdbValue::Uint64(options_.build_epoch)},
      {"database_type", MmdbValue::String(options_.database_type)},
      {"description", MmdbValue::Map({{"en", MmdbValue::String(options_.description)}})},
      {"ip_version", MmdbValue::Uint16(static_cast<uint16_t>(options_.ip_version))},
      {"languages", MmdbValue::Array(std::move(languages))},
      {"node_count", MmdbValue::Uint32(static_cast<uint32_t>(node_count))},
      {"record_size", MmdbValue::Uint16(static_cast<uint16_t>(options_.record_size))},
  });
  Encode(out, metadata);
  return out;
}

Status MmdbWriter::WriteFile(const std::string& path) const {
  MAMORI_ASSIGN_OR_RETURN(std::string bytes, Serialize());
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file) return MakeError(ErrorCode::kIo, "cannot write", path);
  return Ok();
}

}  // namespace mamori::domain::ipinfo::testing
