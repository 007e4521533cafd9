#ifndef FEEDWATCH_CIDN2_SHIM_H
#define FEEDWATCH_CIDN2_SHIM_H
// libidn2 (IDNA2008 + UTS #46): internationalized host names → their ASCII (`xn--`) form.
// Nothing we call is variadic, so this header only includes the library's own. The one
// importer is FeedParser's IDNAHost, which keeps every pointer crossing this boundary in one file.
//
// idn2.h also declares libidn1 compatibility names (idna_to_ascii_8z, Idna_rc, …) unless told
// not to; we use none of them, so they stay out of the Swift module.
#define IDN2_SKIP_LIBIDN_COMPAT 1
#include <idn2.h>
#endif
