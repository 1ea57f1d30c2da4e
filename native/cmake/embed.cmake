# Turns a binary file into a C array (CMake 3.25 has no CUDA_FATBIN_COMPILATION / embed): -DIN -DOUT -DNAME.
file(READ ${IN} HEX HEX)
string(LENGTH "${HEX}" LEN)
math(EXPR BYTES "${LEN} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," BODY "${HEX}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" BODY "${BODY}")
file(WRITE ${OUT} "/* generated from ${IN} */\n#include <stddef.h>\n__attribute__((aligned(16))) const unsigned char ${NAME}[] = {\n${BODY}\n};\nconst size_t ${NAME}_size = ${BYTES};\n")
