#!/bin/sh
# strip-section-headers.sh BINARY COPY: cuts an ELF executable after its last
# loaded byte, dropping the section header table, .shstrtab and .comment,
# and keeps the binary as linked, with its section headers, in COPY.
#
# Neither the kernel, nor qemu-user, nor musl's start code reads section
# headers: a program runs from its program headers alone (OpenWrt's sstrip
# ships every binary so). They are some 1,400 bytes of a release binary
# that has nothing else to show in them, since it is stripped (-s). COPY is
# for the tools that disassemble by section (tests/guards/hardening.py).
#
# POSIX sh, od and dd only: a Dockerfile's builder stage and a cross build
# run it as they are. Reads either ELF class and byte order.
set -eu
bin=$1
copy=$2

byte() { od -An -tu1 -j "$1" -N 1 "$bin" | tr -d ' '; }

# An unsigned number of $2 bytes at offset $1, in the file's byte order.
num() {
	v=0
	i=0
	while [ "$i" -lt "$2" ]; do
		if [ "$order" = 1 ]; then b=$(byte $(($1 + $2 - 1 - i))); else b=$(byte $(($1 + i))); fi
		v=$((v * 256 + b))
		i=$((i + 1))
	done
	echo "$v"
}

zero() { dd if=/dev/zero of="$bin" bs=1 seek="$1" count="$2" conv=notrunc 2>/dev/null; }

if [ "$(od -An -c -N 4 "$bin" | tr -d ' ')" != "177ELF" ]; then
	echo "strip-section-headers.sh: $bin is not an ELF file" >&2
	exit 1
fi
class=$(byte 4) # 1: 32-bit, 2: 64-bit
order=$(byte 5) # 1: little-endian, 2: big-endian
if [ "$class" = 2 ]; then
	phoff=$(num 32 8) shoff_at=40 shoff_len=8 phentsize=$(num 54 2) phnum=$(num 56 2) shnum_at=60
	off_at=8 off_len=8 filesz_at=32
else
	phoff=$(num 28 4) shoff_at=32 shoff_len=4 phentsize=$(num 42 2) phnum=$(num 44 2) shnum_at=48
	off_at=4 off_len=4 filesz_at=16
fi

end=0
i=0
while [ "$i" -lt "$phnum" ]; do
	ph=$((phoff + i * phentsize))
	last=$(($(num $((ph + off_at)) "$off_len") + $(num $((ph + filesz_at)) "$off_len")))
	[ "$last" -gt "$end" ] && end=$last
	i=$((i + 1))
done
if [ "$end" -le 0 ] || [ "$(num "$shoff_at" "$shoff_len")" -lt "$end" ]; then
	echo "strip-section-headers.sh: $bin: the section headers are not after the last segment" >&2
	exit 1
fi

cp "$bin" "$copy"
zero "$shoff_at" "$shoff_len"
zero "$shnum_at" 4 # e_shnum and e_shstrndx
dd if="$copy" of="$bin.tmp" bs="$end" count=1 2>/dev/null
# The header edits above, on the cut file.
dd if="$bin" of="$bin.tmp" bs=64 count=1 conv=notrunc 2>/dev/null
chmod 0755 "$bin.tmp"
mv "$bin.tmp" "$bin"
