# libcap-ng. The sanitizer build links the host's libcap-ng (libcap-ng-dev).
# The release build compiles libcap-ng for musl from Debian's source package,
# once, inside the build tree, with sections split so --gc-sections keeps only
# what gracefulinit calls.

if(GRACEFULINIT_SANITIZE)
  find_path(CAPNG_INCLUDE_DIR cap-ng.h)
  find_library(CAPNG_LIBRARY cap-ng)
  if(NOT CAPNG_INCLUDE_DIR OR NOT CAPNG_LIBRARY)
    message(FATAL_ERROR "libcap-ng not found: apt-get install libcap-ng-dev")
  endif()
  add_library(capng UNKNOWN IMPORTED)
  set_target_properties(capng PROPERTIES IMPORTED_LOCATION "${CAPNG_LIBRARY}"
                                         INTERFACE_INCLUDE_DIRECTORIES "${CAPNG_INCLUDE_DIR}")
  return()
endif()

set(GRACEFULINIT_LIBCAPNG_SOURCE "" CACHE PATH
    "Unpacked libcap-ng source (default: fetched with 'apt-get source libcap-ng')")

# musl's headers do not include the kernel's; libcap-ng (and cap-ng.h) need
# <linux/capability.h>, so point at the kernel headers and nothing else: the
# host's, or for a cross build the target's (/usr/TRIPLET/include, from
# linux-libc-dev-ARCH-cross).
set(GRACEFULINIT_KERNEL_HEADERS "/usr/include" CACHE PATH "kernel headers for the target")
set(_gi_hdr "${GRACEFULINIT_KERNEL_HEADERS}")
set(GI_KERNEL_HEADERS "${CMAKE_BINARY_DIR}/kernel-headers")
if(NOT EXISTS ${_gi_hdr}/linux/capability.h)
  message(FATAL_ERROR "kernel headers not found in ${_gi_hdr}: apt-get install linux-libc-dev")
endif()
file(MAKE_DIRECTORY "${GI_KERNEL_HEADERS}")
execute_process(COMMAND ${CMAKE_C_COMPILER} -dumpmachine OUTPUT_VARIABLE _gi_triplet OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REPLACE "-musl" "-gnu" _gi_gnu_triplet "${_gi_triplet}")
foreach(_dir linux asm-generic)
  file(CREATE_LINK ${_gi_hdr}/${_dir} "${GI_KERNEL_HEADERS}/${_dir}" SYMBOLIC)
endforeach()
if(EXISTS ${_gi_hdr}/${_gi_gnu_triplet}/asm)
  file(CREATE_LINK ${_gi_hdr}/${_gi_gnu_triplet}/asm "${GI_KERNEL_HEADERS}/asm" SYMBOLIC)
else()
  file(CREATE_LINK ${_gi_hdr}/asm "${GI_KERNEL_HEADERS}/asm" SYMBOLIC)
endif()
# A cross build tells libcap-ng's configure, which would otherwise try to run
# what it compiles.
set(_capng_host)
if(CMAKE_CROSSCOMPILING)
  set(_capng_host --host=${_gi_gnu_triplet})
endif()

if(GRACEFULINIT_LIBCAPNG_SOURCE)
  set(_capng_src "${GRACEFULINIT_LIBCAPNG_SOURCE}")
else()
  set(_capng_fetch "${CMAKE_BINARY_DIR}/libcap-ng-source")
  file(GLOB _capng_found LIST_DIRECTORIES true "${_capng_fetch}/libcap-ng-*")
  list(FILTER _capng_found EXCLUDE REGEX "\\.(tar|dsc|gz|xz)")
  if(NOT _capng_found)
    find_program(APT_GET apt-get)
    find_program(DPKG_SOURCE dpkg-source)
    if(NOT APT_GET OR NOT DPKG_SOURCE)
      message(FATAL_ERROR "fetching libcap-ng's source needs apt-get and dpkg-source (apt-get install dpkg-dev)")
    endif()
    file(MAKE_DIRECTORY "${_capng_fetch}")
    message(STATUS "Fetching Debian's libcap-ng source package")
    execute_process(COMMAND ${APT_GET} source -qq libcap-ng
                    WORKING_DIRECTORY "${_capng_fetch}" RESULT_VARIABLE _rc
                    OUTPUT_QUIET ERROR_VARIABLE _err)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "apt-get source libcap-ng failed: enable deb-src and run apt-get update "
                          "(scripts/deps.sh does both), or set GRACEFULINIT_LIBCAPNG_SOURCE.\n${_err}")
    endif()
    file(GLOB _capng_found LIST_DIRECTORIES true "${_capng_fetch}/libcap-ng-*")
    list(FILTER _capng_found EXCLUDE REGEX "\\.(tar|dsc|gz|xz)")
  endif()
  list(GET _capng_found 0 _capng_src)
endif()
if(NOT EXISTS "${_capng_src}/src/cap-ng.c")
  message(FATAL_ERROR "no libcap-ng source at ${_capng_src}")
endif()

include(ExternalProject)
string(JOIN " " _capng_hardening ${GI_HARDENING_CFLAGS})
set(_capng_build "${CMAKE_BINARY_DIR}/libcap-ng-build")
set(_capng_raw "${_capng_build}/src/.libs/libcap-ng.a")
ExternalProject_Add(libcapng_musl
  SOURCE_DIR "${_capng_src}"
  BINARY_DIR "${_capng_build}"
  CONFIGURE_COMMAND env CC=${CMAKE_C_COMPILER}
      "CFLAGS=-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables ${_capng_hardening} -isystem ${GI_KERNEL_HEADERS}"
      ${_capng_src}/configure --quiet ${_capng_host} --disable-shared --enable-static --without-python --without-python3
  # From clean: the step runs again only after configure did, and make would
  # keep objects built with the old CFLAGS.
  BUILD_COMMAND make -s -C src clean
        COMMAND make -s -C src libcap-ng.la
  INSTALL_COMMAND ""
  BUILD_BYPRODUCTS "${_capng_raw}"
  LOG_CONFIGURE ON LOG_BUILD ON LOG_OUTPUT_ON_FAILURE ON)

# scanf, stdio, printf, syslog and malloc would add over 40 KB of musl for a
# few small jobs: libcap-ng's calls to them are renamed to gracefulinit's
# stand-ins (src/base/capng_libc.c), from the one list in capng_libc.def. The
# renamed copy is made again whenever that list changes, and is only written
# once libcap-ng's symbols pass the check against the list.
set(GI_CAPNG_LIBC_DEF "${CMAKE_SOURCE_DIR}/src/base/capng_libc.def")
set(GI_CAPNG_LIB "${CMAKE_BINARY_DIR}/libcap-ng-renamed.a")
set(GI_CAPNG_SYMBOLS "${CMAKE_SOURCE_DIR}/cmake/CapngSymbols.cmake")
add_custom_command(OUTPUT "${GI_CAPNG_LIB}"
  COMMAND ${CMAKE_COMMAND} -DOBJCOPY=${CMAKE_OBJCOPY} -DNM=${CMAKE_NM} -DDEF=${GI_CAPNG_LIBC_DEF}
          -DINPUT=${_capng_raw} -DOUTPUT=${GI_CAPNG_LIB} -P ${GI_CAPNG_SYMBOLS}
  DEPENDS libcapng_musl "${_capng_raw}" "${GI_CAPNG_LIBC_DEF}" "${GI_CAPNG_SYMBOLS}"
  COMMENT "Renaming libcap-ng's libc calls to gracefulinit's stand-ins"
  VERBATIM)
add_custom_target(libcapng_renamed DEPENDS "${GI_CAPNG_LIB}")

add_library(capng STATIC IMPORTED GLOBAL)
set_target_properties(capng PROPERTIES
  IMPORTED_LOCATION "${GI_CAPNG_LIB}"
  INTERFACE_INCLUDE_DIRECTORIES "${_capng_src}/src"
  INTERFACE_LINK_LIBRARIES gi_capng_libc)
add_dependencies(capng libcapng_renamed)
include_directories(SYSTEM "${GI_KERNEL_HEADERS}")
