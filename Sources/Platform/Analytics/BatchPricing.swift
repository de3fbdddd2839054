/// Prices, Greeks and implied volatilities for whole batches in one call each.
///
/// The loops run over the batch's contiguous buffers with no allocation per option, so the cost per
/// option is the scalar formula's; results are identical, bit for bit, to the scalar functions.
public enum BatchPricing {
    /// Price and Greeks of every option in `batch` at `volatilities[i]`, written into `output`.
    public static func greeks(
        _ model: PricingModel, _ batch: OptionBatch, volatilities: [Double],
        into output: inout GreeksColumns
    ) {
        batch.checkInvariants()
        let count = batch.count
        precondition(
            volatilities.count == count, "volatilities: \(volatilities.count), batch: \(count)")
        if output.price.count != count { output = GreeksColumns(count: count) }
        batch.kinds.withUnsafeBufferPointer { kinds in
            batch.underlying.withUnsafeBufferPointer { underlying in
                batch.strikes.withUnsafeBufferPointer { strikes in
                    batch.years.withUnsafeBufferPointer { years in
                        batch.rates.withUnsafeBufferPointer { rates in
                            batch.dividendYields.withUnsafeBufferPointer { yields in
                                volatilities.withUnsafeBufferPointer { sigmas in
                                    for index in 0..<count {
                                        let g: OptionGreeks
                                        switch model {
                                        case .blackScholesMerton:
                                            g = BlackScholesMerton.greeks(
                                                kinds[index], spot: underlying[index],
                                                strike: strikes[index], years: years[index],
                                                rate: rates[index], dividendYield: yields[index],
                                                volatility: sigmas[index])
                                        case .black76:
                                            g = Black76.greeks(
                                                kinds[index], forward: underlying[index],
                                                strike: strikes[index], years: years[index],
                                                rate: rates[index], volatility: sigmas[index])
                                        }
                                        output.price[index] = g.price
                                        output.delta[index] = g.delta
                                        output.gamma[index] = g.gamma
                                        output.vega[index] = g.vega
                                        output.theta[index] = g.theta
                                        output.rho[index] = g.rho
                                        output.vanna[index] = g.vanna
                                        output.volga[index] = g.volga
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Implied volatility of every option in `batch` at `prices[i]`, written into `output`.
    public static func impliedVolatilities(
        _ model: PricingModel, _ batch: OptionBatch, prices: [Double],
        into output: inout [ImpliedVolatilityResult]
    ) {
        batch.checkInvariants()
        let count = batch.count
        precondition(prices.count == count, "prices: \(prices.count), batch: \(count)")
        if output.count != count {
            output = [ImpliedVolatilityResult](repeating: .invalidInput, count: count)
        }
        batch.kinds.withUnsafeBufferPointer { kinds in
            batch.underlying.withUnsafeBufferPointer { underlying in
                batch.strikes.withUnsafeBufferPointer { strikes in
                    batch.years.withUnsafeBufferPointer { years in
                        batch.rates.withUnsafeBufferPointer { rates in
                            batch.dividendYields.withUnsafeBufferPointer { yields in
                                prices.withUnsafeBufferPointer { quoted in
                                    output.withUnsafeMutableBufferPointer { results in
                                        for index in 0..<count {
                                            switch model {
                                            case .blackScholesMerton:
                                                results[index] =
                                                    ImpliedVolatility.blackScholesMerton(
                                                        kinds[index], price: quoted[index],
                                                        spot: underlying[index],
                                                        strike: strikes[index],
                                                        years: years[index], rate: rates[index],
                                                        dividendYield: yields[index])
                                            case .black76:
                                                results[index] = ImpliedVolatility.black76(
                                                    kinds[index], price: quoted[index],
                                                    forward: underlying[index],
                                                    strike: strikes[index],
                                                    years: years[index], rate: rates[index])
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
