package com.mediapipeline.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.DoubleStream;
import javax.imageio.ImageIO;

/** throughput.png: per throughput scenario, a bar each for the service, its baseline and the peer (MB/s). */
class ThroughputChart {

    private static final Color[] COLORS = {new Color(0x2f6fde), new Color(0x9aa5b8), new Color(0xe08a2c)};
    private static final String[] LEGEND = {"Media Pipeline", "baseline (dd, loopback)", "@tus/server"};
    private static final int ROW_HEIGHT = 70;
    private static final int WIDTH = 1000;

    /** One scenario's medians; NaN where there is none (the peer has no ranged download), which draws no bar. */
    private record Row(String scenario, double[] mbps) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(String scenario, double ours, double baseline, double peer) {
        rows.add(new Row(scenario, new double[] {ours, baseline, peer}));
    }

    void draw(Path file, int runs) throws IOException {
        int height = 70 + rows.size() * ROW_HEIGHT;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.DARK_GRAY);
        g.drawString("Throughput, MB/s (median of " + runs + ")", 20, 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < LEGEND.length; i++) {
            g.setColor(COLORS[i]);
            g.fillRect(420 + i * 190, 15, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(LEGEND[i], 437 + i * 190, 26);
        }
        // every bar on one scale: the longest of the whole chart spans 620 pixels
        double max = rows.stream().flatMapToDouble(row -> DoubleStream.of(row.mbps()))
                .filter(v -> !Double.isNaN(v)).max().orElse(1);
        int y = 55;
        for (Row row : rows) {
            g.setColor(Color.DARK_GRAY);
            g.drawString(row.scenario(), 20, y + 10);
            for (int i = 0; i < 3; i++) {
                double v = row.mbps()[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                int barWidth = (int) (v / max * 620);
                g.setColor(COLORS[i]);
                g.fillRect(300, y + 16 * i - 4, barWidth, 13);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format("%.0f", v), 305 + barWidth, y + 16 * i + 7);
            }
            y += ROW_HEIGHT;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
