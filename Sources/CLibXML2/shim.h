#ifndef FEEDWATCH_CLIBXML2_SHIM_H
#define FEEDWATCH_CLIBXML2_SHIM_H
// libxml2 is not variadic where we use it, so this header only gathers the parts we call:
// the SAX2 push parser for feeds and the HTML parser for pages and feed content.
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, so <libxml/encoding.h> would pull in the system's
// <unicode/*.h>. Foundation carries its own ICU (_FoundationICU) whose `UErrorCode` differs, and
// a module that imports both fails to compile. We never use libxml2's ICU converters (text is
// converted to UTF-8 before libxml2 sees it) and touch xmlCharEncodingHandler only through
// pointers, so hiding the ICU parts is safe.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#include <libxml/xmlIO.h>
#endif
