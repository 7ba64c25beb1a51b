// Test support (tests and benchmarks only): a small MaxMind DB writer, so the MMDB reader can be
// tested on real .mmdb files without shipping GeoLite2 data (Debian has none).
//
// Follows the MaxMind DB File Format Specification 2.0: a binary search tree of 24-, 28- or
// 32-bit records, the 16-byte zero separator, a data section of maps / strings / unsigned
// integers / arrays, then "\xAB\xCD\xEFMaxMind.com" and the metadata map (node_count,
// record_size, ip_version, database_type, languages, binary_format_major_version 2, minor 0,
// build_epoch, description). Not written: pointers (no deduplication of data), IPv4 aliases
// (::ffff:0:0/96, 2002::/16) in IPv6 trees, doubles, signed integers. The output is checked
// against libmaxminddb's mmdblookup in mmdb_writer_test.cc. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/ip.h"

namespace mamori::domain::ipinfo::testing {

struct MmdbValue {
  enum class Type { kString, kUint16, kUint32, kUint64, kMap, kArray };
  Type type = Type::kString;
  std::string text;               // kString
  uint64_t number = 0;            // kUint16, kUint32, kUint64
  std::vector<std::string> keys;  // kMap: keys[i] → values[i]
  std::vector<MmdbValue> values;  // kMap values, kArray items

  static MmdbValue String(std::string s);
  static MmdbValue Uint16(uint16_t v);
  static MmdbValue Uint32(uint32_t v);
  static MmdbValue Uint64(uint64_t v);
  static MmdbValue Map(std::vector<std::pair<std::string, MmdbValue>> entries);
  static MmdbValue Array(std::vector<MmdbValue> items);
};

// A GeoLite2-ASN record and a GeoLite2-Country record.
MmdbValue AsnRecord(uint32_t asn, std::string organization);
MmdbValue CountryRecord(std::string iso_code);

struct MmdbWriterOptions {
  int ip_version = 6;    // 4 or 6
  int record_size = 24;  // 24, 28 or 32
  std::string database_type = "mamori-Test-ASN";
  std::vector<std::string> languages = {"en"};
  std::string description = "mamori test database";  // written as {"en": description}
  uint64_t build_epoch = 1700000000;
};

class MmdbWriter {
 public:
  explicit MmdbWriter(MmdbWriterOptions options = {});

  // Maps every address of `network` to `data`. A more specific network inserted later splits
  // the earlier one; a shorter one inserted later replaces what was below it, so insert
  // shorter networks first. An IPv4 network in an IPv6 tree goes to ::a.b.c.d (where
  // libmaxminddb looks IPv4 addresses up).
  // kInvalidArgument for an IPv6 network in an IPv4 tree or a /0 network.
  Status Insert(const Cidr& network, MmdbValue data);

  // The whole file. kTooLarge when a record value does not fit record_size bits.
  Expected<std::string> Serialize() const;
  Status WriteFile(const std::string& path) const;

  size_t node_count() const { return nodes_.size(); }

 private:
  struct Record {
    enum class Kind : uint8_t { kEmpty, kNode, kData };
    Kind kind = Kind::kEmpty;
    uint32_t value = 0;  // node index or index into data_
  };
  struct Node {
    Record child[2];
  };

  MmdbWriterOptions options_;
  std::vector<Node> nodes_;
  std::vector<MmdbValue> data_;
};

}  // namespace mamori::domain::ipinfo::testing
