import Foundation
import MeshCore

/// Builds the `meta.k8s.io/v1` Table kubectl asks for (`Accept: …;as=Table`): NAME, the resource's columns, AGE.
enum TableBuilder {
    static func table(_ type: ResourceType, objects: [StoredObject], listVersion: String, includeObject: String?,
                      now: Int = Int(Date().timeIntervalSince1970)) -> Value {
        let columns = self.columns(type)
        var definitions: [Value] = [["name": "Name", "type": "string", "format": "name",
                                     "description": "Name must be unique within a namespace.", "priority": 0]]
        for column in columns {
            definitions.append(["name": .string(column.name), "type": .string(column.type == "date" ? "string" : column.type),
                                "format": .string(column.format), "description": .string(column.jsonPath),
                                "priority": .int(column.priority)])
        }
        let rows: [Value] = objects.map { row($0, type: type, columns: columns, includeObject: includeObject, now: now) }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": ["resourceVersion": .string(listVersion)],
                "columnDefinitions": .array(definitions), "rows": .array(rows)]
    }

    /// The columns after NAME: a CRD's own printer columns (or AGE), a built-in kind's columns then AGE.
    static func columns(_ type: ResourceType) -> [PrinterColumn] {
        let age = PrinterColumn("Age", "date", ".metadata.creationTimestamp")
        if type.schema != nil || !BuiltinResources.all.contains(where: { $0.storageKey == type.storageKey }) {
            return type.columns.isEmpty ? [age] : type.columns
        }
        let wide = type.columns.filter { $0.priority > 0 }
        return type.columns.filter { $0.priority == 0 } + [age] + wide
    }

    static func row(_ object: StoredObject, type: ResourceType, columns: [PrinterColumn], includeObject: String?, now: Int) -> Value {
        let value = object.value  // decoded once per row: the store keeps only the JSON
        var cells: [Value] = [.string(object.name)]
        for column in columns {
            cells.append(cell(column, value, now: now))
        }
        var row: Value = ["cells": .array(cells)]
        switch includeObject {
        case "None": break
        case "Object": row["object"] = APIServer.presented(value, as: type)
        default:
            row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": value["metadata"] ?? [:]]
        }
        return row
    }

    static func cell(_ column: PrinterColumn, _ object: Value, now: Int) -> Value {
        if column.jsonPath.hasPrefix("{") { return ComputedColumns.value(column.jsonPath, object) }
        let values = JSONPathLite.evaluate(column.jsonPath, in: object)
        if column.type == "date" {
            guard let text = values.first?.stringValue, let seconds = Timestamp.parse(text) else { return "<unknown>" }
            return .string(humanDuration(now - seconds))
        }
        if values.count == 1, column.type == "integer" || column.type == "number" || column.type == "boolean" {
            return values[0]
        }
        if values.isEmpty { return column.type == "string" ? "<none>" : (column.type == "integer" ? 0 : .null) }
        return .string(values.map { JSONPathLite.scalarText($0) }.joined(separator: ","))
    }

    /// kubectl's human durations: `45s`, `3m20s`, `5h`, `2d3h`, `400d`, `3y20d`.
    static func humanDuration(_ seconds: Int) -> String {
        let s = max(0, seconds)
        if s < 120 { return "\(s)s" }
        let minutes = s / 60
        if minutes < 10 { return s % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(s % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 192 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        let years = hours / 24 / 365
        let days = hours / 24 - years * 365
        return years < 8 ? (days == 0 ? "\(years)y" : "\(years)y\(days)d") : "\(years)y"
    }
}
