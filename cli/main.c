/* Placeholder entry point while the CLI lands; replaced by the dispatcher. */
#include "puhui/puhui.h"
#include <stdio.h>
int main(void)
{
    printf("puhui %s\n", ph_version());
    return 0;
}
