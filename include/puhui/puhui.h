/*
 * puhui — the umbrella header. Include this one; it pulls in every module's
 * public contract.
 */
#ifndef PUHUI_H
#define PUHUI_H

#include "puhui/common.h"
#include "puhui/csv.h"

#endif
