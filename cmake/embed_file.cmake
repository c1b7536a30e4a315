# cmake -DIN=FILE -DOUT=FILE.c -P embed_file.cmake
# Writes FILE's bytes as the C array srv_openapi_json (NUL-terminated) and its
# length srv_openapi_json_len (without the NUL).
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
  "/* Generated from ${IN} by cmake/embed_file.cmake: do not edit. */\n"
  "#include <stddef.h>\n"
  "extern const char srv_openapi_json[];\n"
  "extern const size_t srv_openapi_json_len;\n"
  "const char srv_openapi_json[] = {\n${bytes}0x00};\n"
  "const size_t srv_openapi_json_len = ${size};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
