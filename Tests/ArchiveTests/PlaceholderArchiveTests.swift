import Testing

// Replaced by the real suite of this layer.
@Suite struct PlaceholderArchiveTests {
    @Test func buildsAndLinks() { #expect(Bool(true)) }
}
