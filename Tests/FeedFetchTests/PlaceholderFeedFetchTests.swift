import Testing

// Replaced by the real suite of this layer.
@Suite struct PlaceholderFeedFetchTests {
    @Test func buildsAndLinks() { #expect(Bool(true)) }
}
