/*
 * testutil.h — what every cmocka unit test includes.
 *
 * DX_SHARED_DATA is the folder of reference data beside the repository (../shared/data);
 * tests read real list and country files from there and never from a copy.
 */
#ifndef DX_TESTUTIL_H
#define DX_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define DX_SHARED_DATA DX_SOURCE_ROOT "/../shared/data"
#define DX_EXAMPLES DX_SOURCE_ROOT "/examples"

#endif
