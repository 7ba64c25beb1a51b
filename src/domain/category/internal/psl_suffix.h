// What the categorizer asks the Public Suffix List beyond core/domain_name.h, given an answer it
// already holds, so each item costs one registrable-domain lookup instead of three. Defined in
// service_lists.cc, next to the PSL context it shares. Thread-safe.
#pragma once

#include <string_view>

#include "core/domain_name.h"

namespace mamori::domain::internal {

// name.IsPrivateSuffix(), when `registered_domain` is name.RegisteredDomain() ("" for none):
// the public suffix is then the registered domain minus its first label, as
// DomainName::PublicSuffix() derives it.
bool IsPrivateSuffix(const DomainName& name, std::string_view registered_domain);

}  // namespace mamori::domain::internal
