package main

import (
	"net"
	"strconv"
)

// reachableURLs returns the URLs participants can open to reach a server listening on addr:
// the one address it is bound to, or, when it listens on every interface (0.0.0.0 or ::),
// every address of the machine's interfaces that are up, non-loopback first, loopback last.
func reachableURLs(addr net.Addr) []string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return []string{"http://" + addr.String()}
	}
	if !tcp.IP.IsUnspecified() {
		return []string{"http://" + hostPort(tcp.IP, tcp.Port)}
	}
	ips, err := interfaceIPs()
	if err != nil || len(ips) == 0 {
		return []string{"http://" + hostPort(net.IPv4(127, 0, 0, 1), tcp.Port)}
	}
	onlyV4 := tcp.IP.To4() != nil
	var out, loopback []string
	for _, ip := range ips {
		if onlyV4 && ip.To4() == nil {
			continue
		}
		if ip.IsLinkLocalUnicast() && ip.To4() == nil {
			continue // an IPv6 link-local address needs a zone no browser bar takes
		}
		u := "http://" + hostPort(ip, tcp.Port)
		if ip.IsLoopback() {
			loopback = append(loopback, u)
		} else {
			out = append(out, u)
		}
	}
	return append(out, loopback...)
}

// interfaceIPs returns the addresses of the interfaces that are up.
func interfaceIPs() ([]net.IP, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var ips []net.IP
	for _, iface := range ifaces {
		if iface.Flags&net.FlagUp == 0 {
			continue
		}
		addrs, err := iface.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				ips = append(ips, n.IP)
			}
		}
	}
	return ips, nil
}

func hostPort(ip net.IP, port int) string {
	return net.JoinHostPort(ip.String(), strconv.Itoa(port))
}
