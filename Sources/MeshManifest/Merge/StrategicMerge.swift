import MeshCore

/// Kubernetes strategic-merge-patch of a patch onto a Pod (what `kubectl patch --type strategic` and Istio's
/// injector do with a rendered template).
///
/// Mappings merge key by key and a `null` in the patch deletes; lists that Kubernetes declares with a merge key
/// (containers, initContainers and volumes by `name`, env by `name`, ports by `containerPort`, volumeMounts by
/// `mountPath`, …) merge element by element; other lists are replaced. Merged lists keep apimachinery's order:
/// patch elements in patch order, original-only elements slotted in where the original had them before a
/// patched element.
public enum StrategicMerge {
    /// Where in a Pod a mapping sits, which decides the merge keys of its lists.
    enum Context {
        case pod, metadata, podSpec, container, other
    }

    /// Merges `patch` onto the Pod `original`.
    public static func mergePod(_ original: Value, _ patch: Value) -> Value {
        merge(original, patch, context: .pod)
    }

    /// Merges `patch` onto a pod spec (the value under a Pod's `spec`).
    public static func mergePodSpec(_ original: Value, _ patch: Value) -> Value {
        merge(original, patch, context: .podSpec)
    }

    static func mergeKey(_ field: String, in context: Context) -> String? {
        switch context {
        case .podSpec:
            switch field {
            case "containers", "initContainers", "ephemeralContainers", "volumes", "imagePullSecrets",
                "resourceClaims", "schedulingGates":
                return "name"
            case "hostAliases": return "ip"
            case "topologySpreadConstraints": return "topologyKey"
            default: return nil
            }
        case .container:
            switch field {
            case "env": return "name"
            case "ports": return "containerPort"
            case "volumeMounts": return "mountPath"
            case "volumeDevices": return "devicePath"
            case "resizePolicy": return "resourceName"
            default: return nil
            }
        case .metadata:
            return field == "ownerReferences" ? "uid" : nil
        case .pod, .other:
            return nil
        }
    }

    static func childContext(_ field: String, in context: Context) -> Context {
        switch (context, field) {
        case (.pod, "metadata"): .metadata
        case (.pod, "spec"): .podSpec
        case (.podSpec, "containers"), (.podSpec, "initContainers"), (.podSpec, "ephemeralContainers"): .container
        default: .other
        }
    }

    static func merge(_ original: Value, _ patch: Value, context: Context) -> Value {
        guard case .object(let patchObject) = patch else { return patch }
        guard case .object(var result) = original else {
            return merge(.object([:]), patch, context: context)
        }
        for (key, patchValue) in patchObject {
            if patchValue.isNull {
                result[key] = nil
                continue
            }
            let child = childContext(key, in: context)
            switch (result[key], patchValue) {
            case (.object?, .object):
                result[key] = merge(result[key]!, patchValue, context: child)
            case (.array(let originalItems)?, .array(let patchItems)):
                if let mergeKey = mergeKey(key, in: context) {
                    result[key] = .array(mergeList(originalItems, patchItems, key: mergeKey, context: child))
                } else {
                    result[key] = .array(patchItems.map { stripNulls($0) })
                }
            case (_, .object):
                result[key] = merge(.object([:]), patchValue, context: child)
            default:
                result[key] = stripNulls(patchValue)
            }
        }
        return .object(result)
    }

    /// A patch value written into a place the original lacks: nulls inside it mean "absent".
    static func stripNulls(_ value: Value) -> Value {
        switch value {
        case .object(let object):
            var result = Value.Object()
            result.reserveCapacity(object.count)
            for (key, item) in object where !item.isNull { result[key] = stripNulls(item) }
            return .object(result)
        case .array(let items):
            return .array(items.map(stripNulls))
        default:
            return value
        }
    }

    static func mergeList(_ original: [Value], _ patch: [Value], key: String, context: Context) -> [Value] {
        var merged = original
        for item in patch {
            guard let keyValue = item[key], !keyValue.isNull,
                let index = merged.firstIndex(where: { $0[key] == keyValue })
            else {
                merged.append(merge(.object([:]), item, context: context))
                continue
            }
            merged[index] = merge(merged[index], item, context: context)
        }
        let patchKeys = patch.compactMap { $0[key] }
        func position(in list: [Value], of item: Value) -> Int? {
            guard let keyValue = item[key] else { return nil }
            return list.firstIndex { $0[key] == keyValue }
        }
        // Partition, then order: patch items by patch order, server-only items by original order.
        var patchItems = merged.filter { item in item[key].map { patchKeys.contains($0) } ?? false }
        let serverOnly = merged.filter { item in !(item[key].map { patchKeys.contains($0) } ?? false) }
        patchItems.sort { (position(in: patch, of: $0) ?? 0) < (position(in: patch, of: $1) ?? 0) }
        var result: [Value] = []
        var left = 0
        var right = 0
        while left < serverOnly.count || right < patchItems.count {
            if left >= serverOnly.count {
                result.append(patchItems[right]); right += 1
            } else if right >= patchItems.count {
                result.append(serverOnly[left]); left += 1
            } else if let l = position(in: original, of: serverOnly[left]),
                let r = position(in: original, of: patchItems[right]), l < r
            {
                result.append(serverOnly[left]); left += 1
            } else {
                result.append(patchItems[right]); right += 1
            }
        }
        return result
    }
}
