import Testing

// Replaced by the real suite of this layer.
@Suite struct PlaceholderDropFolderTests {
    @Test func buildsAndLinks() { #expect(Bool(true)) }
}
