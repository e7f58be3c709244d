package org.nas4j.spaces.nasbench201;

/** Reads NAS-Bench-201 arch strings strictly, naming the offending token. */
final class ArchStrings {
    private ArchStrings() {
    }

    /** The choice vector of {@code text}, e.g. {@code |nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|}. */
    static int[] parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("arch string must not be null");
        }
        String[] nodes = text.trim().split("\\+", -1);
        if (nodes.length != NasBench201Space.NODES - 1) {
            throw new IllegalArgumentException("arch string must have " + (NasBench201Space.NODES - 1)
                    + " '+'-separated nodes, but had " + nodes.length + ": '" + text + "'");
        }
        int[] vector = new int[6];
        for (int j = 1; j <= nodes.length; j++) {
            String node = nodes[j - 1];
            if (!node.startsWith("|") || !node.endsWith("|") || node.length() < 2) {
                throw new IllegalArgumentException("node " + j + " of arch string must be enclosed in '|', but was '"
                        + node + "' in '" + text + "'");
            }
            String[] tokens = node.substring(1, node.length() - 1).split("\\|", -1);
            if (tokens.length != j) {
                throw new IllegalArgumentException("node " + j + " of arch string must have " + j
                        + " inputs, but had " + tokens.length + ": '" + node + "'");
            }
            for (String token : tokens) {
                int tilde = token.lastIndexOf('~');
                if (tilde < 0) {
                    throw new IllegalArgumentException("arch string token must be op~input, but was '" + token + "'");
                }
                String op = token.substring(0, tilde);
                int from;
                try {
                    from = Integer.parseInt(token.substring(tilde + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("input of arch string token '" + token
                            + "' must be a node index, but was '" + token.substring(tilde + 1) + "'");
                }
                if (from < 0 || from >= j) {
                    throw new IllegalArgumentException("input of arch string token '" + token + "' must be in [0, "
                            + j + "), but was " + from);
                }
                int opIndex = NasBench201Space.OPS.indexOf(op);
                if (opIndex < 0) {
                    throw new IllegalArgumentException("unknown op '" + op + "' in arch string token '" + token
                            + "'; known ops: " + NasBench201Space.OPS);
                }
                vector[NasBench201Space.edgeIndex(from, j)] = opIndex;
            }
            boolean[] seen = new boolean[j];
            for (String token : tokens) {
                int from = Integer.parseInt(token.substring(token.lastIndexOf('~') + 1));
                if (seen[from]) {
                    throw new IllegalArgumentException("node " + j + " of arch string names input " + from
                            + " twice: '" + node + "'");
                }
                seen[from] = true;
            }
        }
        return vector;
    }
}
