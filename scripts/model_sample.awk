# Turn a features panel (puhui features --from/--to) into a modelling sample.
#
#   awk -f scripts/model_sample.awk PROVINCE/truth/defaults.csv \
#       PROVINCE/feeds/registration.csv panel.csv > sample.csv
#
# Adds, per row (firm, as-of date):
#   city, industry, owner_gender  segments for the fairness report (never model
#                                 inputs: train with --exclude them)
#   bad                           1 when the firm defaults within 12 months after
#                                 the as-of date (the performance window), else 0
# and drops firms that had already defaulted on or before the as-of date: they
# are no longer applicants. The default dates are the generator's ground truth,
# standing in for a bank's own record of which borrowers went 90 days past due.
#
# Once the platform has a loan book, `puhui model sample --from M1 --to M2
# --horizon 12m --bad dpd90 --features panel.csv --out sample.csv` labels the
# panel from the book's own records instead (docs/loans.md#model-samples-from-the-book);
# this script stays for the demo, whose book is too small to train on.
BEGIN { FS = OFS = "," }
FILENAME == ARGV[1] { if (FNR > 1) defaulted[$1] = $2; next }
FILENAME == ARGV[2] {
    if (FNR > 1) {
        city[$1] = substr($4, 1, 4) "00"
        industry[$1] = substr($5, 1, 1)
        gender[$1] = $8
    }
    next
}
FNR == 1 { print $0, "city", "industry", "owner_gender", "bad"; next }
{
    firm = $1; asof = $2; d = defaulted[firm]
    if (d != "" && d <= asof) next
    split(asof, ymd, "-")
    horizon = sprintf("%04d-%s-%s", ymd[1] + 1, ymd[2], ymd[3])
    print $0, city[firm], industry[firm], gender[firm], (d != "" && d <= horizon) ? 1 : 0
}
