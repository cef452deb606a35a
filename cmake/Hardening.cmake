# The release binary's hardening (gracefulinit(1), SECURITY MODEL): a
# static-pie, so the kernel places it at a random address; full RELRO, so
# the GOT and init arrays are read-only once it runs; a stack protector in
# gracefulinit's code and in libcap-ng's (GI_HARDENING_CFLAGS, which
# cmake/Libcapng.cmake passes on); a stack that cannot execute.
#
# Debian's musl-gcc specs know nothing of -static-pie: their link line has
# no -pie, and their start files are for a dynamic or fixed-address binary.
# So the link is spelled out: musl's rcrt1.o (which relocates the binary
# itself before anything else runs), and what gcc -static-pie would pass ld.
set(GI_HARDENING_CFLAGS -fPIE -fstack-protector-strong)

# musl's start files live beside the specs file its musl-gcc script names
# (-print-file-name would answer with glibc's).
set(GRACEFULINIT_MUSL_LIBDIR "" CACHE PATH "musl's lib directory, with rcrt1.o (default: from musl-gcc)")
set(_gi_muslcrt "${GRACEFULINIT_MUSL_LIBDIR}")
if(NOT _gi_muslcrt)
  file(READ "${CMAKE_C_COMPILER}" _gi_wrapper LIMIT 4096)
  if(_gi_wrapper MATCHES "-specs \"([^\"]+)\"")
    get_filename_component(_gi_muslcrt "${CMAKE_MATCH_1}" DIRECTORY)
  else()
    message(FATAL_ERROR "cannot find musl's lib directory from ${CMAKE_C_COMPILER}: set GRACEFULINIT_MUSL_LIBDIR")
  endif()
endif()
set(_gi_rcrt1 "${_gi_muslcrt}/rcrt1.o")
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=crtbeginS.o OUTPUT_VARIABLE _gi_crtbegin
                OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=crtendS.o OUTPUT_VARIABLE _gi_crtend
                OUTPUT_STRIP_TRAILING_WHITESPACE)
foreach(_f "${_gi_rcrt1}" "${_gi_muslcrt}/crti.o" "${_gi_muslcrt}/crtn.o" "${_gi_crtbegin}" "${_gi_crtend}")
  if(NOT IS_ABSOLUTE "${_f}" OR NOT EXISTS "${_f}")
    message(FATAL_ERROR "static-pie start file not found: ${_f} (apt-get install musl-dev)")
  endif()
endforeach()

# -z text refuses relocations in read-only segments. binutils 2.40 for
# riscv64 leaves unused R_RISCV_NONE entries at offset 0 in a static-pie,
# which it then counts as such (musl's start code applies only RELATIVE
# ones): scripts/release.sh turns the check off there.
option(GRACEFULINIT_LINK_Z_TEXT "link with -z text" ON)
set(_gi_z_text)
if(GRACEFULINIT_LINK_Z_TEXT)
  set(_gi_z_text LINKER:-z,text)
endif()
add_compile_options(${GI_HARDENING_CFLAGS})
add_link_options(-nostartfiles -static LINKER:-pie LINKER:--no-dynamic-linker ${_gi_z_text}
                 LINKER:-z,relro LINKER:-z,now LINKER:-z,noexecstack)
set(CMAKE_C_LINK_EXECUTABLE
    "<CMAKE_C_COMPILER> <FLAGS> <CMAKE_C_LINK_FLAGS> <LINK_FLAGS> ${_gi_rcrt1} ${_gi_muslcrt}/crti.o ${_gi_crtbegin} <OBJECTS> -o <TARGET> <LINK_LIBRARIES> ${_gi_crtend} ${_gi_muslcrt}/crtn.o")
