/// JSON bodies of the API's responses: snake_case keys, ISO 8601 times in IST, prices as numbers.
enum APIEncoding {
    static func indices(_ indices: [IndexView]) -> [UInt8] {
        var json = JSONBuilder()
        json.object { body in
            body.key("indices")
            body.array { list in
                for index in indices {
                    list.object { item in
                        item.field("symbol", index.symbol)
                        item.field("exchange", index.exchange)
                        item.field("lot_size", index.lotSize)
                        item.field("strike_step", rupees: index.strikeStepPaise)
                        item.key("last")
                        if let last = index.lastPaise { item.rupees(last) } else { item.null() }
                        item.key("last_update")
                        if let at = index.lastUpdate { item.value(at.description) } else { item.null() }
                    }
                }
            }
        }
        return json.bytes
    }

    static func expiries(index: String, _ expiries: [ExpiryView]) -> [UInt8] {
        var json = JSONBuilder()
        json.object { body in
            body.field("index", index)
            body.key("expiries")
            body.array { list in
                for expiry in expiries {
                    list.object { $0.field("date", expiry.date.description); $0.field("bucket", expiry.bucket) }
                }
            }
        }
        return json.bytes
    }

    static func chain(_ chain: ChainView) -> [UInt8] {
        var json = JSONBuilder()
        json.object { body in
            body.field("index", chain.index)
            body.field("expiry", chain.expiry.description)
            body.field("collected_at", chain.collectedAt.description)
            body.field("underlying", rupees: chain.underlyingPaise)
            body.key("forward")
            if let forward = chain.forwardPaise { body.rupees(forward) } else { body.null() }
            body.field("atm_strike", rupees: chain.atmStrikePaise)
            body.key("contracts")
            body.array { list in
                for row in chain.rows {
                    list.object { item in
                        let quote = row.quote
                        item.field("tradingsymbol", quote.tradingsymbol)
                        item.field("instrument_token", Int64(quote.instrumentToken))
                        item.field("strike", rupees: quote.strikePaise)
                        item.field("type", quote.optionType.rawValue)
                        item.field("bid", rupees: quote.bidPaise)
                        item.field("ask", rupees: quote.askPaise)
                        item.field("ltp", rupees: quote.ltpPaise)
                        item.field("volume", quote.volume)
                        item.field("oi", quote.openInterest)
                        item.field("exchange_time", quote.exchangeTime.description)
                        item.field("iv", optional: row.impliedVolatility)
                        item.field("delta", optional: row.delta)
                        item.field("gamma", optional: row.gamma)
                        item.field("vega", optional: row.vega)
                        item.field("theta_per_day", optional: row.thetaPerDay)
                    }
                }
            }
        }
        return json.bytes
    }

    static func history(index: String, _ page: HistoryPage) -> [UInt8] {
        var json = JSONBuilder()
        json.object { body in
            body.field("index", index)
            body.key("rows")
            body.array { list in
                for row in page.rows {
                    list.object { item in
                        item.field("collected_at", row.collectedAt.description)
                        item.field("exchange_time", row.quote.exchangeTime.description)
                        item.field("tradingsymbol", row.quote.tradingsymbol)
                        item.field("expiry", row.quote.expiry.description)
                        item.field("strike", rupees: row.quote.strikePaise)
                        item.field("type", row.quote.optionType.rawValue)
                        item.field("bid", rupees: row.quote.bidPaise)
                        item.field("ask", rupees: row.quote.askPaise)
                        item.field("ltp", rupees: row.quote.ltpPaise)
                        item.field("volume", row.quote.volume)
                        item.field("oi", row.quote.openInterest)
                        item.field("underlying", rupees: row.underlyingPaise)
                    }
                }
            }
            body.key("next_cursor")
            if let cursor = page.nextCursor { body.value(cursor) } else { body.null() }
        }
        return json.bytes
    }
}
