#!/usr/bin/perl
# screen.pl — reads `tmux capture-pane -p -e` output on stdin and answers questions about
# the colours and attributes of cells, for the e2e tests (lib.sh wraps it).
#
# tmux writes only the SGR changes from one cell to the next, and the state carries over
# from one line to the next, so the whole capture is replayed from the top.
#
#   screen.pl style REGEX COL   style of cell COL (0-based) of the first line whose text
#                               matches REGEX; prints e.g. "fg=0 bg=6" or "fg=d bg=d bold"
#   screen.pl line REGEX        the first matching line as runs "col+len:style|text"
#   screen.pl cells REGEX COL   for every line matching REGEX: "style<TAB>text"
#   screen.pl cell REGEX TITLE  the text of the list cell under the column header TITLE
#                               (the line starting "  KEY") in the first line matching REGEX
#   screen.pl cellstyle REGEX TITLE  the style of that cell's first character
#   screen.pl colours           prints the number of cells drawn with a colour
#   screen.pl text              the plain text (as capture-pane -p would give it)
#
# A style is "fg=F bg=B" (d = default, 0-7 the basic colours, 8-15 bright, else 256-colour
# index, or r/g/b) followed by any of bold dim italic ul blink rev.
use strict;
use warnings;

binmode STDIN, ':encoding(UTF-8)';
binmode STDOUT, ':encoding(UTF-8)';

my ($cmd, @args) = @ARGV;
die "usage: screen.pl style|line|colours|text ...\n" unless defined $cmd;

my %st = (fg => 'd', bg => 'd');
my @flags = qw(bold dim italic ul blink rev);

sub reset_state { %st = (fg => 'd', bg => 'd'); }

sub style_str {
    my $s = "fg=$st{fg} bg=$st{bg}";
    for my $f (@flags) { $s .= " $f" if $st{$f}; }
    return $s;
}

sub apply_sgr {
    my ($params) = @_;
    my @p = length($params) ? split(/[;:]/, $params, -1) : (0);
    while (@p) {
        my $n = shift @p;
        $n = 0 if $n eq '';
        if ($n == 0) { reset_state(); }
        elsif ($n == 1) { $st{bold} = 1; }
        elsif ($n == 2) { $st{dim} = 1; }
        elsif ($n == 3) { $st{italic} = 1; }
        elsif ($n == 4) { $st{ul} = 1; }
        elsif ($n == 5) { $st{blink} = 1; }
        elsif ($n == 7) { $st{rev} = 1; }
        elsif ($n == 21 || $n == 22) { delete $st{bold}; delete $st{dim}; }
        elsif ($n == 23) { delete $st{italic}; }
        elsif ($n == 24) { delete $st{ul}; }
        elsif ($n == 25) { delete $st{blink}; }
        elsif ($n == 27) { delete $st{rev}; }
        elsif ($n >= 30 && $n <= 37) { $st{fg} = $n - 30; }
        elsif ($n == 39) { $st{fg} = 'd'; }
        elsif ($n >= 40 && $n <= 47) { $st{bg} = $n - 40; }
        elsif ($n == 49) { $st{bg} = 'd'; }
        elsif ($n >= 90 && $n <= 97) { $st{fg} = $n - 90 + 8; }
        elsif ($n >= 100 && $n <= 107) { $st{bg} = $n - 100 + 8; }
        elsif ($n == 38 || $n == 48) {
            my $which = $n == 38 ? 'fg' : 'bg';
            my $mode = shift(@p) // '';
            if ($mode eq '5') { $st{$which} = shift(@p) // 0; }
            elsif ($mode eq '2') { $st{$which} = join('/', map { shift(@p) // 0 } 1 .. 3); }
        }
    }
}

# Each line: [ text, [style of each cell] ]
my @lines;
while (my $raw = <STDIN>) {
    chomp $raw;
    my ($text, @cells) = ('');
    while (length $raw) {
        if ($raw =~ s/^\e\[([0-9;:]*)m//) { apply_sgr($1); next; }
        if ($raw =~ s/^\e\[[0-9;:?]*[A-Za-z]//) { next; }  # other CSI: ignore
        if ($raw =~ s/^\e[()][A-Za-z0-9]//) { next; }       # charset selection
        if ($raw =~ s/^\e.//) { next; }
        $raw =~ s/^(.)//s;
        $text .= $1;
        push @cells, style_str();
    }
    push @lines, [$text, \@cells];
}

sub find_line {
    my ($re) = @_;
    for my $l (@lines) { return $l if $l->[0] =~ /$re/; }
    return undef;
}

if ($cmd eq 'text') {
    print "$_->[0]\n" for @lines;
} elsif ($cmd eq 'style') {
    my ($re, $col) = @args;
    my $l = find_line($re) or exit 1;
    # a cell past the end of the text has the style the line ended in; tmux trims those
    my $s = $l->[1][$col];
    exit 1 unless defined $s;
    print "$s\n";
} elsif ($cmd eq 'cells') {
    my ($re, $col) = @args;
    for my $l (@lines) {
        next unless $l->[0] =~ /$re/;
        my $s = $l->[1][$col] // 'none';
        print "$s\t$l->[0]\n";
    }
} elsif ($cmd eq 'cell' || $cmd eq 'cellstyle') {
    my ($re, $title) = @args;
    my $h = find_line(qr/^  KEY/) or exit 1;
    $h->[0] =~ /(?<=\s)\Q$title\E[\x{25b2}\x{25bc}]?(?=\s|$)/ or exit 1;
    my ($s, $e) = ($-[0], $+[0]);
    my $l = find_line($re) or exit 1;
    my $t = $l->[0] . ' ';
    # the run of non-blank cells that overlaps the title: numbers align right, text left
    for my $i ($s .. $e - 1) {
        next if substr($t, $i, 1) eq ' ';
        my ($a, $b) = ($i, $i);
        $a-- while $a > 0 && substr($t, $a - 1, 1) ne ' ';
        $b++ while substr($t, $b, 1) ne ' ';
        print $cmd eq 'cell' ? substr($t, $a, $b - $a) : $l->[1][$a], "\n";
        exit 0;
    }
    print "\n";
} elsif ($cmd eq 'line') {
    my ($re) = @args;
    my $l = find_line($re) or exit 1;
    my ($text, $cells) = @$l;
    my $start = 0;
    for my $i (1 .. scalar(@$cells)) {
        if ($i == @$cells || $cells->[$i] ne $cells->[$start]) {
            printf "%d+%d:%s|%s\n", $start, $i - $start, $cells->[$start],
              substr($text, $start, $i - $start);
            $start = $i;
        }
    }
} elsif ($cmd eq 'colours') {
    my $n = 0;
    for my $l (@lines) {
        for my $s (@{ $l->[1] }) { $n++ if $s !~ /fg=d bg=d/; }
    }
    print "$n\n";
} else {
    die "screen.pl: unknown command $cmd\n";
}
