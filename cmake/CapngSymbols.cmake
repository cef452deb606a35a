# libcap-ng's libc calls against src/base/capng_libc.def, with nm.
#
#   cmake -DOBJCOPY=... -DNM=... -DDEF=capng_libc.def -DINPUT=raw.a -DOUTPUT=renamed.a -P CapngSymbols.cmake
#       renames every STANDIN(name) to gi_capng_name, checks, then writes OUTPUT
#   cmake -DNM=... -DDEF=capng_libc.def -DCHECK=renamed.a -P CapngSymbols.cmake
#       checks an archive already renamed (the CTest guard.libcapng_symbols)
#
# The check: every symbol the archive needs and does not define itself is a
# stand-in (gi_capng_*) or listed as LIBC or UNUSED. Anything else is a libc
# call nobody has looked at, and fails loudly here instead of misbehaving at
# run time.
cmake_minimum_required(VERSION 3.20)

foreach(var NM DEF)
  if(NOT ${var})
    message(FATAL_ERROR "CapngSymbols.cmake: -D${var}=... is required")
  endif()
endforeach()

file(STRINGS "${DEF}" _lines REGEX "^(STANDIN|LIBC|UNUSED)\\(")
set(_standins)
set(_unused)
set(_allowed)
foreach(_line IN LISTS _lines)
  string(REGEX MATCH "^([A-Z]+)\\(([A-Za-z0-9_]+)\\)" _m "${_line}")
  if(CMAKE_MATCH_1 STREQUAL "STANDIN")
    list(APPEND _standins ${CMAKE_MATCH_2})
  elseif(CMAKE_MATCH_1 STREQUAL "UNUSED")
    list(APPEND _unused ${CMAKE_MATCH_2})
  else()
    list(APPEND _allowed ${CMAKE_MATCH_2})
  endif()
endforeach()

if(CHECK)
  set(_archive "${CHECK}")
else()
  set(_archive "${OUTPUT}.tmp")
  set(_redefine)
  foreach(_name IN LISTS _standins)
    list(APPEND _redefine --redefine-sym ${_name}=gi_capng_${_name})
  endforeach()
  # An UNUSED name gets one that nothing defines: the link fails if a function
  # gracefulinit keeps ever calls it. Left as libc's, the name would still
  # pull its archive member in, and with getpwuid's or printf's comes musl's
  # stdio exit hook, which exit() then keeps alive (1.2 KB).
  foreach(_name IN LISTS _unused)
    list(APPEND _redefine --redefine-sym ${_name}=gi_capng_unused_${_name})
  endforeach()
  execute_process(COMMAND ${OBJCOPY} ${_redefine} "${INPUT}" "${_archive}" RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "objcopy failed on ${INPUT}")
  endif()
endif()

execute_process(COMMAND ${NM} -u "${_archive}" OUTPUT_VARIABLE _undefined RESULT_VARIABLE _rc1)
execute_process(COMMAND ${NM} --defined-only "${_archive}" OUTPUT_VARIABLE _defined RESULT_VARIABLE _rc2)
if(NOT _rc1 EQUAL 0 OR NOT _rc2 EQUAL 0)
  message(FATAL_ERROR "nm failed on ${_archive}")
endif()
string(REGEX MATCHALL "[^\n]+" _defined_lines "${_defined}")
set(_own)
foreach(_line IN LISTS _defined_lines)
  if(_line MATCHES "^[0-9a-fA-F]+ [A-Za-z] ([A-Za-z0-9_.]+)$")
    list(APPEND _own ${CMAKE_MATCH_1})
  endif()
endforeach()
string(REGEX MATCHALL "[^\n]+" _undefined_lines "${_undefined}")
set(_unknown)
foreach(_line IN LISTS _undefined_lines)
  if(NOT _line MATCHES "^ +[Uw] ([A-Za-z0-9_.]+)$")
    continue()
  endif()
  set(_sym ${CMAKE_MATCH_1})
  if(_sym MATCHES "^gi_capng_" OR _sym IN_LIST _own OR _sym IN_LIST _allowed)
    continue()
  endif()
  # Not libc: the compiler's own, on PowerPC (the TOC base, and the register
  # save and restore helpers from libgcc that -Os calls).
  if(_sym STREQUAL ".TOC." OR _sym MATCHES "^_(save|rest)(gpr|fpr|vr)[0-9]*_[0-9]+$")
    continue()
  endif()
  list(APPEND _unknown ${_sym})
endforeach()
list(REMOVE_DUPLICATES _unknown)
if(_unknown)
  string(REPLACE ";" ", " _names "${_unknown}")
  file(REMOVE "${OUTPUT}.tmp")
  message(FATAL_ERROR "libcap-ng calls libc functions src/base/capng_libc.def does not list: ${_names}.\n"
                      "Each would run musl's code on state gracefulinit's stand-ins own (stdio, the allocator). "
                      "Add a stand-in to src/base/capng_libc.c (and a STANDIN line), or, for a plain system "
                      "call wrapper, a LIBC line.")
endif()
if(NOT CHECK)
  file(RENAME "${_archive}" "${OUTPUT}")
endif()
list(LENGTH _standins _n)
message(STATUS "libcap-ng's libc calls: ${_n} stand-ins, the rest as listed in capng_libc.def")
