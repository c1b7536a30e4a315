/*
 * puhui — the umbrella header. Include this one; it pulls in every module's
 * public contract.
 */
#ifndef PUHUI_H
#define PUHUI_H

#include "puhui/access.h"
#include "puhui/apikey.h"
#include "puhui/calibration.h"
#include "puhui/cob.h"
#include "puhui/common.h"
#include "puhui/csv.h"
#include "puhui/dataset.h"
#include "puhui/date.h"
#include "puhui/dtable.h"
#include "puhui/enterprise.h"
#include "puhui/expr.h"
#include "puhui/features.h"
#include "puhui/feed.h"
#include "puhui/gen.h"
#include "puhui/industry.h"
#include "puhui/ingest.h"
#include "puhui/ledger.h"
#include "puhui/loan.h"
#include "puhui/market.h"
#include "puhui/metrics.h"
#include "puhui/model.h"
#include "puhui/model_report.h"
#include "puhui/money.h"
#include "puhui/policy.h"
#include "puhui/policy_store.h"
#include "puhui/pricing.h"
#include "puhui/profile.h"
#include "puhui/rate.h"
#include "puhui/region.h"
#include "puhui/registry.h"
#include "puhui/riskshare.h"
#include "puhui/schedule.h"
#include "puhui/schema.h"
#include "puhui/scorecard.h"
#include "puhui/server.h"
#include "puhui/simulate.h"
#include "puhui/store.h"
#include "puhui/subsidy.h"
#include "puhui/uscc.h"
#include "puhui/value.h"

#endif
