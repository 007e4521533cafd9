/// Walks a parsed document and feeds a `TextAssembler`: blocks become paragraph breaks,
/// `<br>` a line break, cells and images word breaks, `<pre>` keeps its lines, and non-content
/// (script, style, forms, hidden elements, navigation) is skipped with its whole subtree.
///
/// The walk is a loop over document-order indices with a stack of open elements, never a
/// recursion, so 100 000 nested elements cost nothing special.
package struct HTMLTextRenderer {
    package let document: HTMLDocument
    /// Extra subtrees to leave out (the extractor's boilerplate), by node index; may be empty.
    package var excluded: [Bool] = []
    /// Fold every break into a space (titles, summaries).
    package var singleParagraph = false
    /// Render `<math>` as its text instead of skipping it (feeds).
    package var mathAsText = false

    package init(document: HTMLDocument) { self.document = document }

    package func render(_ roots: [Int] = [HTMLDocument.root]) -> String {
        var out = TextAssembler()
        for root in roots { render(root, into: &out) }
        return out.finish()
    }

    package func render(_ root: Int, into out: inout TextAssembler) {
        let doc = document
        var open: [(end: Int, tag: HTMLTag)] = []
        var preDepth = 0
        var i = root
        let end = doc.subtreeEnd(root)
        while i < end {
            while let top = open.last, top.end <= i {
                open.removeLast()
                close(top.tag, &out, &preDepth)
            }
            let tag = doc.tags[i]
            if tag == .text {
                out.append(doc.textBytes(i), preserve: preDepth > 0 && !singleParagraph)
                i += 1
                continue
            }
            if skips(i, tag) {
                i = doc.subtreeEnd(i)
                if tag.isBlock { out.paragraphBreakOr(singleParagraph) } else { out.wordBreak() }
                continue
            }
            if tag.isBlock {
                out.paragraphBreakOr(singleParagraph)
            } else if tag == .br {
                singleParagraph ? out.wordBreak() : out.lineBreak()
            } else if tag.separatesWords {
                out.wordBreak()
            }
            if tag.preservesSpace { preDepth += 1 }
            open.append((doc.subtreeEnd(i), tag))
            i += 1
        }
        while let top = open.popLast() { close(top.tag, &out, &preDepth) }
    }

    private func skips(_ n: Int, _ tag: HTMLTag) -> Bool {
        (tag.isNonContent && !(mathAsText && tag == .math)) || tag == .nav || document.flags[n].contains(.hidden) || (!excluded.isEmpty && excluded[n])
    }

    private func close(_ tag: HTMLTag, _ out: inout TextAssembler, _ preDepth: inout Int) {
        if tag.isBlock {
            out.paragraphBreakOr(singleParagraph)
        } else if tag.separatesWords {
            out.wordBreak()
        }
        if tag.preservesSpace { preDepth -= 1 }
    }
}

private extension TextAssembler {
    mutating func paragraphBreakOr(_ single: Bool) {
        single ? wordBreak() : paragraphBreak()
    }
}
