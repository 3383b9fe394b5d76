import CYAML

/// Writes one `Value` as a YAML document through libyaml's emitter, in the style of `kubectl get -o yaml`;
/// `YAML.emit` is its public face.
///
/// Block style with 2-space indent; libyaml itself leaves sequences in mappings unindented, writes empty
/// containers as `{}`/`[]`, and falls back to single quotes where a plain scalar would be ambiguous. Strings that
/// would read back as another type are double-quoted, multi-line strings use literal blocks, lines are never
/// folded, and non-ASCII text is written as is.
final class YAMLWriter {
    private let emitter: UnsafeMutablePointer<yaml_emitter_t>
    private let sink = Sink()
    private let sortKeys: Bool
    private var failed = false

    /// Collects the emitter's output.
    final class Sink {
        var bytes: [UInt8] = []
    }

    init?(sortKeys: Bool) {
        self.sortKeys = sortKeys
        emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        guard yaml_emitter_initialize(emitter) == 1 else {
            emitter.deallocate()
            return nil
        }
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_width(emitter, -1)
        yaml_emitter_set_indent(emitter, 2)
        yaml_emitter_set_output(emitter, { data, buffer, size in
            guard let data, let buffer else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(data).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, Unmanaged.passUnretained(sink).toOpaque())
    }

    deinit {
        yaml_emitter_delete(emitter)
        emitter.deallocate()
    }

    /// Emits `value` as a complete stream with one implicit document; `nil` if libyaml refused an event.
    func document(_ value: Value) -> String? {
        var event = yaml_event_t()
        yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
        emit(&event)
        yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
        emit(&event)
        node(value)
        yaml_document_end_event_initialize(&event, 1)
        emit(&event)
        // Like go-yaml, don't close a document that ends in an open scalar with "...".
        emitter.pointee.open_ended = 0
        yaml_stream_end_event_initialize(&event)
        emit(&event)
        yaml_emitter_flush(emitter)
        return failed ? nil : String(decoding: sink.bytes, as: UTF8.self)
    }

    private func emit(_ event: inout yaml_event_t) {
        guard !failed else {
            yaml_event_delete(&event)
            return
        }
        // yaml_emitter_emit takes ownership of the event, also on failure.
        if yaml_emitter_emit(emitter, &event) != 1 { failed = true }
    }

    private func node(_ value: Value) {
        var event = yaml_event_t()
        switch value {
        case .null: scalar("null", style: YAML_PLAIN_SCALAR_STYLE)
        case .bool(let bool): scalar(bool ? "true" : "false", style: YAML_PLAIN_SCALAR_STYLE)
        case .int(let int): scalar(String(int), style: YAML_PLAIN_SCALAR_STYLE)
        case .double(let double): scalar(GoFloatFormat.yaml(double), style: YAML_PLAIN_SCALAR_STYLE)
        case .string(let string): self.string(string)
        case .array(let items):
            yaml_sequence_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_SEQUENCE_STYLE)
            emit(&event)
            for item in items { node(item) }
            yaml_sequence_end_event_initialize(&event)
            emit(&event)
        case .object(let object):
            yaml_mapping_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE)
            emit(&event)
            let keys = sortKeys ? YAMLKeyOrder.sorted(object.keys) : object.keys
            for key in keys {
                string(key)
                node(object[key] ?? .null)
            }
            yaml_mapping_end_event_initialize(&event)
            emit(&event)
        }
    }

    /// go-yaml's string styles: literal block when multi-line, double quotes when the plain form would read
    /// back as another type, plain otherwise (libyaml may still pick quotes when plain is not allowed).
    private func string(_ text: String) {
        if text.utf8.contains(UInt8(ascii: "\n")) {
            scalar(text, style: YAML_LITERAL_SCALAR_STYLE)
        } else if YAMLScalar.needsQuotes(text) {
            scalar(text, style: YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        } else {
            scalar(text, style: YAML_PLAIN_SCALAR_STYLE)
        }
    }

    private func scalar(_ text: String, style: yaml_scalar_style_t) {
        var bytes = Array(text.utf8)
        let count = bytes.count
        bytes.append(0)  // libyaml wants a non-null pointer even for an empty scalar
        var event = yaml_event_t()
        let ok = bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_scalar_event_initialize(&event, nil, nil, buffer.baseAddress, Int32(count), 1, 1, style)
        }
        guard ok == 1 else {
            failed = true
            return
        }
        emit(&event)
    }
}
