#include "feeds/http_client.h"
