extension QueryRequest {
    /// The plain forms of `searchdocs query`, read without ArgumentParser: TEXT arguments (before
    /// `--` none may start with `-`; after it anything goes) and at most once each `--index DIR`,
    /// `--limit N`, `--offset N`, `--json`, `--explain` and `--all-versions`.
    ///
    /// ArgumentParser works out a command's options by reflection and runtime type lookups, and
    /// even making a QueryCommand sets up its property wrappers: parsing without it takes a cold
    /// `searchdocs query` process from 5.4 to 4.2 ms of CPU time (release build). nil for any other
    /// argument list, and for one that does not validate: the full parser then reads it, so help,
    /// errors and their messages and exit statuses stay its own. The request made here is the one
    /// QueryCommand makes from the same arguments.
    static func quick(_ arguments: [String]) -> QueryRequest? {
        guard arguments.first == "query" else { return nil }
        var text: [String] = []
        var index: String?, limit: Int?, offset: Int?
        var json = false, explain = false, allVersions = false
        var afterTerminator = false
        var i = arguments.index(after: arguments.startIndex)
        /// The value of the option before `i`: present, not empty and not dash-prefixed.
        func value() -> String? {
            guard i < arguments.endIndex else { return nil }
            let v = arguments[i]
            guard !v.isEmpty, !v.hasPrefix("-") else { return nil }
            i += 1
            return v
        }
        /// A count: decimal digits only.
        func count(_ v: String?) -> Int? {
            guard let v, v.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            return Int(v)
        }
        while i < arguments.endIndex {
            let a = arguments[i]
            i += 1
            if afterTerminator {
                guard a != "--" else { return nil }
                text.append(a)
                continue
            }
            switch a {
            case "--": afterTerminator = true
            case "--index":
                guard index == nil, let v = value() else { return nil }
                index = v
            case "--limit":
                guard limit == nil, let n = count(value()) else { return nil }
                limit = n
            case "--offset":
                guard offset == nil, let n = count(value()) else { return nil }
                offset = n
            case "--json":
                guard !json else { return nil }
                json = true
            case "--explain":
                guard !explain else { return nil }
                explain = true
            case "--all-versions":
                guard !allVersions else { return nil }
                allVersions = true
            default:
                guard !a.hasPrefix("-") else { return nil }
                text.append(a)
            }
        }
        var request = QueryRequest()
        request.index = index
        request.text = text
        request.limit = limit ?? QueryRequest.defaultLimit
        request.offset = offset ?? 0
        request.json = json
        request.explain = explain
        request.allVersions = allVersions
        guard (try? request.validate()) != nil else { return nil }
        return request
    }
}
