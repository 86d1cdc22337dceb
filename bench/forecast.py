"""The workload forecast's back-test (decision 0029): for a synthetic authority, the forecast made from
what was known on 31 March of a past year against the reviews actually held in each month of the year
after, with its error. Prints its figures; asserts nothing.

    python bench/forecast.py                          # 600 children, 4 years (2022-23 to 2025-26), seed 1
    python bench/forecast.py --children 2000 --seed 4

The authority is generated in memory (a few seconds); nothing is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

TODAY = dt.date(2026, 11, 22)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=600)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()

    from iroscope.metrics.forecast import back_test
    from iroscope.synth.generator import SynthConfig, generate, latest_complete_year

    last_year = latest_complete_year(TODAY)
    started = time.perf_counter()
    dataset = generate(
        SynthConfig(children=arguments.children, years=arguments.years, seed=arguments.seed, last_year=last_year),
        today=TODAY,
    )
    print(
        f"Synthetic authority: {arguments.children:,} children, {arguments.years} years to 31 March {last_year + 1}, "
        f"seed {arguments.seed} (generated in {time.perf_counter() - started:.1f} s)"
    )
    as_at = dt.date(last_year, 3, 31)  # hold back the last year
    started = time.perf_counter()
    tested = back_test(dataset, as_at=as_at)
    seconds = time.perf_counter() - started
    first = tested.months[0].month
    print(f"Forecast made from what was known on {as_at:%-d %B %Y}, for {first.label} onwards ({seconds:.2f} s)\n")
    print(f"{'month':<16}{'predicted':>10}{'low':>8}{'high':>8}{'actual':>8}{'error':>8}{'error %':>9}  inside")
    for month in tested.months:
        predicted = month.predicted
        error = month.actual - predicted.central
        share = f"{100 * abs(error) / month.actual:.1f}" if month.actual else "-"
        print(
            f"{month.month.label:<16}{predicted.central:>10.1f}{round(predicted.low):>8}{round(predicted.high):>8}"
            f"{month.actual:>8}{error:>+8.1f}{share:>9}  {'yes' if month.inside else 'no'}"
        )
    total = tested.predicted
    print(
        f"{'year':<16}{total.central:>10.1f}{round(total.low):>8}{round(total.high):>8}{tested.actual:>8}"
        f"{tested.actual - total.central:>+8.1f}{100 * abs(tested.actual - total.central) / tested.actual:>9.1f}  "
        f"{'yes' if total.contains(tested.actual) else 'no'}"
    )
    accuracy = tested.error
    mape = accuracy.mean_absolute_percentage_error
    print()
    print(f"Mean absolute error per month:            {accuracy.mean_absolute_error:.1f} reviews")
    print(f"Mean absolute percentage error per month: {'-' if mape is None else f'{mape:.1f}%'}")
    print(f"Months whose actual fell inside the range: {tested.months_inside} of {len(tested.months)}")
    last = tested.months[-1].month.end
    print(
        f"The year ({first.start:%-d %B %Y} to {last:%-d %B %Y}) inside its range: "
        f"{'yes' if total.contains(tested.actual) else 'no'}"
    )


if __name__ == "__main__":
    main()
