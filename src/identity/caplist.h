/* --cap's CAP[,...] lists as a set of capability numbers. Pure: names are
 * looked up in libcap-ng's table, nothing is applied here. */
#ifndef GRACEFULINIT_CAPLIST_H
#define GRACEFULINIT_CAPLIST_H

#include <stddef.h>
#include <stdint.h>

/* Bit N set: capability N (capabilities(7) numbers stay below 64). */
typedef uint64_t cap_mask;

#define CAP_MASK_BIT(cap) ((cap_mask)1 << (cap))

/* Adds each name in list to *set. Names as capabilities(7) spells them, with
 * or without "CAP_", in any case: NET_BIND_SERVICE, cap_net_bind_service.
 * Returns 0, or -1 with a one-line message in err naming the bad entry. */
int cap_list_parse(cap_mask *set, const char *list, char *err, size_t err_size);

#endif
