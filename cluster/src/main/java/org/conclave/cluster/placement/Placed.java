package org.conclave.cluster.placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.conclave.cluster.wire.NodeLoad;
import org.conclave.sfu.control.EndpointListener;

/**
 * What one appservice placed on the cluster's nodes: each endpoint it holds (on which start of which node, in which
 * conference, heard by which listener) and the node of each conference that has endpoints. A conference stays on its
 * node while it has endpoints here. Pure state, confined to {@link ClusterControl}'s context.
 */
final class Placed {
    /** One endpoint this appservice allocated: where it is and who hears its events. */
    record Remote(NodeLoad node, String conferenceId, EndpointListener listener) {}

    private final Map<String, Remote> endpoints = new HashMap<>();
    private final Map<String, String> conferenceNode = new HashMap<>();

    Remote endpoint(String endpointId) {
        return endpoints.get(endpointId);
    }

    /** The name of the node the conference is on, or null. */
    String nodeOf(String conferenceId) {
        return conferenceNode.get(conferenceId);
    }

    /** Records a new endpoint; true when it is the first of its conference (the conference was just placed). */
    boolean add(String endpointId, Remote r) {
        endpoints.put(endpointId, r);
        return conferenceNode.put(r.conferenceId(), r.node().node()) == null;
    }

    /** The endpoint closed; true when its conference has no endpoint left here and so leaves its node. */
    boolean remove(String endpointId, Remote r) {
        endpoints.remove(endpointId);
        boolean stillUsed = endpoints.values().stream().anyMatch(o -> o.conferenceId().equals(r.conferenceId()));
        return !stillUsed && conferenceNode.remove(r.conferenceId(), r.node().node());
    }

    /** Forgets every endpoint on that start of the node and every conference on the node; returns the endpoints. */
    List<Map.Entry<String, Remote>> lostWith(NodeLoad node) {
        List<Map.Entry<String, Remote>> lost = endpoints.entrySet().stream()
                .filter(e -> e.getValue().node().clusterNodeId().equals(node.clusterNodeId()))
                .map(Placed::copy).toList();
        lost.forEach(e -> endpoints.remove(e.getKey()));
        conferenceNode.values().removeIf(name -> name.equals(node.node()));
        return lost;
    }

    /** Forgets everything; returns the endpoints. */
    List<Map.Entry<String, Remote>> clear() {
        List<Map.Entry<String, Remote>> all = endpoints.entrySet().stream().map(Placed::copy).toList();
        endpoints.clear();
        conferenceNode.clear();
        return all;
    }

    private static Map.Entry<String, Remote> copy(Map.Entry<String, Remote> e) {
        return Map.entry(e.getKey(), e.getValue());
    }

    int endpointsOn(String node) {
        int n = 0;
        for (Remote r : endpoints.values()) {
            if (r.node().node().equals(node)) n++;
        }
        return n;
    }

    int conferencesOn(String node) {
        return placedConferences(node).size();
    }

    /** The conferences on the node, sorted. */
    List<String> placedConferences(String node) {
        return conferenceNode.entrySet().stream().filter(c -> c.getValue().equals(node)).map(Map.Entry::getKey)
                .sorted().toList();
    }
}
