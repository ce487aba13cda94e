## Runs R surveillance algorithms on a wide CSV of weekly counts and writes long CSV output.
## Usage: Rscript run_surveillance.R <algo> <counts.csv> <out.csv> <first_row_1based> [key=value ...]
## counts.csv: first column "week" (ISO date), then one column per series.
## algo: farrington | earsC | cusum | findH
suppressPackageStartupMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
algo <- args[1]; infile <- args[2]; outfile <- args[3]; first <- as.integer(args[4])
kv <- list()
if (length(args) > 4) for (a in args[5:length(args)]) {
  p <- strsplit(a, "=", fixed = TRUE)[[1]]
  kv[[p[1]]] <- p[2]
}
num <- function(key, default) if (is.null(kv[[key]])) default else as.numeric(kv[[key]])
str <- function(key, default) if (is.null(kv[[key]])) default else kv[[key]]
lgl <- function(key, default) if (is.null(kv[[key]])) default else as.logical(kv[[key]])

d <- read.csv(infile, check.names = FALSE, stringsAsFactors = FALSE)
dates <- as.Date(d$week)
obs <- as.matrix(d[, -1, drop = FALSE])
use_dates <- lgl("dates", TRUE)
if (use_dates) {
  s <- sts(observed = obs, epoch = as.numeric(dates), epochAsDate = TRUE, frequency = 52)
} else {
  s <- sts(observed = obs, start = c(2000, 1), frequency = 52)
}
rng <- first:nrow(obs)
t0 <- proc.time()[["elapsed"]]
cpu0 <- sum(proc.time()[c("user.self", "sys.self")])
if (algo == "farrington") {
  pwni <- if (is.null(kv[["pastWeeksNotIncluded"]])) NULL else as.numeric(kv[["pastWeeksNotIncluded"]])
  ctrl <- list(range = rng, b = num("b", 5), w = num("w", 3), reweight = lgl("reweight", TRUE),
               weightsThreshold = num("weightsThreshold", 2.58), alpha = num("alpha", 0.05),
               trend = lgl("trend", TRUE), pThresholdTrend = num("pThresholdTrend", 0.05),
               limit54 = c(num("limit54cases", 5), num("limit54period", 4)),
               powertrans = str("powertrans", "2/3"), noPeriods = num("noPeriods", 1),
               pastWeeksNotIncluded = pwni, thresholdMethod = str("thresholdMethod", "delta"),
               glmWarnings = FALSE)
  res <- farringtonFlexible(s, control = ctrl)
  expected <- res@control$expected
  pvalue <- res@control$pvalue
} else if (algo == "earsC") {
  ctrl <- list(range = rng, method = str("method", "C1"), baseline = num("baseline", 7),
               minSigma = num("minSigma", 0))
  if (!is.null(kv[["alpha"]])) ctrl$alpha <- num("alpha", 0.001)
  res <- earsC(s, control = ctrl)
  expected <- matrix(NA_real_, length(rng), ncol(obs))
  pvalue <- expected
} else if (algo == "cusum") {
  ctrl <- list(range = rng, k = num("k", 1.04), h = num("h", 2.26), trans = str("trans", "standard"))
  res <- cusum(s, control = ctrl, verbose = FALSE)
  expected <- matrix(NA_real_, length(rng), ncol(obs))
  pvalue <- expected
} else {
  stop("unknown algo")
}
elapsed <- proc.time()[["elapsed"]] - t0
cpu <- sum(proc.time()[c("user.self", "sys.self")]) - cpu0
ub <- upperbound(res); al <- alarms(res)
out <- data.frame(series = rep(colnames(obs), each = length(rng)),
                  row = rep(rng - 1L, times = ncol(obs)),
                  upperbound = as.vector(ub), alarm = as.integer(as.vector(al)),
                  expected = as.vector(expected), pvalue = as.vector(pvalue))
write.csv(out, outfile, row.names = FALSE)
# CPU seconds as well: on a shared machine they do not depend on what else runs
cat(sprintf("elapsed=%.3f cpu=%.3f\n", elapsed, cpu))
