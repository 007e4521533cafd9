extension StringProtocol {
    /// The string without leading and trailing white space (Character-level, any script).
    var trimmingSpaces: SubSequence {
        var s = self[...]
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return s
    }
}
