import Foundation
import MarketSim

/// The text forms of a chain: CSV in the documented column order, and JSON with the ground truth.
enum ChainFormat {
    static let csvHeader = "tradingsymbol,instrument_token,expiry,strike,type,bid,ask,ltp,volume,oi,underlying,future,true_iv"

    static func csv(_ chain: OptionChain) -> String {
        var out = csvHeader + "\n"
        let underlying = chain.underlyingPaise.paiseAsRupees
        for expiry in chain.expiries {
            let future = expiry.futurePaise.paiseAsRupees
            for row in expiry.rows {
                let c = row.contract
                out += [c.tradingsymbol, String(c.instrumentToken), c.expiry.description, c.strikePaise.paiseAsRupees,
                        c.instrumentType, row.bidTicks.ticksAsRupees, row.askTicks.ticksAsRupees,
                        row.lastPriceTicks.ticksAsRupees, String(row.volume), String(row.openInterest), underlying,
                        future, decimal(row.trueIV, 6)].joined(separator: ",")
                out += "\n"
            }
        }
        return out
    }

    static func json(_ chain: OptionChain, seed: UInt64) -> String {
        var out = "{\"index\":\(quoted(chain.index)),\"at\":\(quoted(chain.time.description)),\"seed\":\(seed),"
        out += "\"underlying\":\(chain.underlyingPaise.paiseAsRupees),\"expiries\":["
        for (e, expiry) in chain.expiries.enumerated() {
            if e > 0 { out += "," }
            out += "{\"expiry\":\(quoted(expiry.listing.date.description)),"
            out += "\"kind\":\(quoted(expiry.listing.isMonthly ? "monthly" : "weekly")),"
            out += "\"buckets\":[\(expiry.listing.buckets.map(quoted).joined(separator: ","))],"
            out += "\"future\":\(expiry.futurePaise.paiseAsRupees),\"forward\":\(decimal(expiry.forward, 6)),"
            out += "\"discount\":\(decimal(expiry.discount, 12)),\"tau\":\(decimal(expiry.tau, 12)),"
            out += "\"atm_total_variance\":\(decimal(expiry.theta, 12)),\"ssvi_rho\":\(decimal(expiry.rho, 6)),"
            out += "\"ssvi_eta\":\(decimal(expiry.eta, 6)),\"rows\":["
            for (r, row) in expiry.rows.enumerated() {
                if r > 0 { out += "," }
                let c = row.contract
                out += "{\"tradingsymbol\":\(quoted(c.tradingsymbol)),\"instrument_token\":\(c.instrumentToken),"
                out += "\"strike\":\(c.strikePaise.paiseAsRupees),\"type\":\(quoted(c.instrumentType)),"
                out += "\"lot_size\":\(c.lotSize),\"bid\":\(row.bidTicks.ticksAsRupees),\"ask\":\(row.askTicks.ticksAsRupees),"
                out += "\"ltp\":\(row.lastPriceTicks.ticksAsRupees),\"last_quantity\":\(row.lastQuantity),"
                out += "\"last_trade_time\":\(row.lastTradeSecond.map { quoted(lastTradeTime(chain, $0)) } ?? "null"),"
                out += "\"volume\":\(row.volume),\"oi\":\(row.openInterest),"
                out += "\"model_price\":\(decimal(row.modelPrice, 6)),\"true_iv\":\(decimal(row.trueIV, 6))}"
            }
            out += "]}"
        }
        return out + "]}\n"
    }

    static func lastTradeTime(_ chain: OptionChain, _ second: Int) -> String {
        let delta = Int64(second - chain.secondOfSession) * 1_000_000_000
        return MarketTime(nanosecondsSinceEpoch: chain.time.nanosecondsSinceEpoch + delta).description
    }

    static func decimal(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "0"
    }

    static func quoted(_ text: String) -> String { "\"" + text + "\"" }
}
